#!/bin/sh
# Until a new droplet's first boot has finished (passwords made, the app set up for the droplet's own address), a root
# login over SSH prints a notice and ends, so nobody meets a half-configured app. The per-instance first-boot script
# removes the block again (unlock_root_login in /usr/local/lib/one-click/first-boot.sh) and restarts sshd.
# The build's own session is not cut off: sshd applies its configuration to the logins it accepts after a restart.
set -eu
if ! grep -q '^# BEGIN one-click first-boot lock$' /etc/ssh/sshd_config; then
  cat >> /etc/ssh/sshd_config <<'LOCK'
# BEGIN one-click first-boot lock
Match User root
    ForceCommand echo "Please wait while we get your droplet ready..."
# END one-click first-boot lock
LOCK
fi
sshd -t
echo "root logins wait for the first boot: $(sshd -T -C user=root,host=client,addr=192.0.2.1 | grep -i '^forcecommand')"
