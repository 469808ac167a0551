#!/bin/bash
# The last script of every template: nothing of the build goes into the image, and DigitalOcean's droplet agent goes
# last. DigitalOcean installs the agent on the build droplet (the templates leave droplet_agent unset), its image scan
# refuses an image with /opt/digitalocean, and every droplet made from the image gets the agent installed anew.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# A /tmp without mode 1777 breaks apt and many services on the customer's droplet.
mkdir -p /tmp
chmod 1777 /tmp

apt-get -qq -y autoremove --purge
apt-get -qq -y clean
rm -rf /tmp/* /var/tmp/*

# The build's shell history and cloud-init's record of the build droplet: a droplet made from the image is a new
# instance, and its per-instance scripts must run.
rm -f /root/.bash_history
rm -rf /var/lib/cloud/instances/* /var/lib/cloud/instance

# The build's logs: rotated archives go, the rest is emptied; the journal keeps nothing of the build.
find /var/log -type f \( -name '*.gz' -o -name '*.[0-9]' -o -name '*-????????' \) -delete
find /var/log -type f -exec truncate --size=0 {} +
journalctl --rotate --vacuum-time=1s --quiet

# The build's key and the droplet's host keys: each droplet gets the customer's keys and host keys of its own.
rm -f /root/.ssh/authorized_keys /etc/ssh/ssh_host_*

# Where DigitalOcean could not install it (its installer is best effort), there is nothing to purge, and apt would fail.
agent=$(dpkg-query --show --showformat='${db:Status-Status}\n' 'droplet-agent*' 2>/dev/null || true)
if grep -qx installed <<< "$agent"; then
  apt-get --yes purge 'droplet-agent*'
else
  echo "droplet-agent is not installed on the build droplet: nothing to purge"
fi
