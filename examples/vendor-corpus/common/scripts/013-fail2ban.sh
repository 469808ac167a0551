#!/bin/sh
# fail2ban with its sshd jail on sshd's journal (common/files/etc/fail2ban/jail.d/sshd.local), now and at every boot.
# Restarted rather than started, so the jail file is read whichever came first, the file or the package: a fail2ban
# that started before the file was there has failed (Debian 12 has no /var/log/auth.log).
set -eu
systemctl enable fail2ban
systemctl restart fail2ban
# systemd has started the server; it answers on its socket a moment later.
tries=0
until fail2ban-client ping >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "fail2ban does not answer 30 s after its start" >&2
    systemctl status --no-pager fail2ban >&2 || true
    exit 1
  fi
  sleep 1
done
fail2ban-client status sshd
