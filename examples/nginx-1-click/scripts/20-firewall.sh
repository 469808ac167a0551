#!/bin/bash
# Firewall rules: SSH rate-limited, HTTP and HTTPS. ENABLED=yes makes ufw load them at every boot; it is not switched
# on here, so the build droplet keeps its SSH session (and a shared test host keeps its own rules).
set -euo pipefail
ufw --force reset >/dev/null
ufw default deny incoming
ufw default allow outgoing
ufw limit 22/tcp
ufw allow 80/tcp
ufw allow 443/tcp
sed -i 's/^ENABLED=.*/ENABLED=yes/' /etc/ufw/ufw.conf
ufw show added
