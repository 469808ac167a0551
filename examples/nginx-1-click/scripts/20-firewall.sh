#!/bin/bash
# Firewall: SSH rate-limited, HTTP and HTTPS open, everything else dropped; on now and at every boot (ENABLED=yes).
# Enabling it in the open SSH session is safe: 22/tcp is allowed before ufw starts filtering.
set -euo pipefail
ufw --force reset >/dev/null
ufw default deny incoming
ufw default allow outgoing
ufw limit 22/tcp
ufw allow 80/tcp
ufw allow 443/tcp
ufw --force enable
ufw status verbose
