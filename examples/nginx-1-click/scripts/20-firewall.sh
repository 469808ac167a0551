#!/bin/bash
# Firewall: SSH rate-limited, HTTP and HTTPS open, everything else dropped; on now and at every boot (ENABLED=yes).
# Enabling it in the open SSH session is safe: 22/tcp is allowed before ufw starts filtering.
set -euo pipefail
# Each rule's "Rules updated" chatter is dropped; the status at the end shows what was set.
ufw --force reset >/dev/null
ufw default deny incoming >/dev/null
ufw default allow outgoing >/dev/null
ufw limit 22/tcp >/dev/null
ufw allow 80/tcp >/dev/null
ufw allow 443/tcp >/dev/null
ufw --force enable
ufw status verbose
