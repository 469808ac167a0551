#!/bin/sh
# Firewall of apps served over plain HTTP behind nginx: SSH rate-limited, port 80 open, everything else closed, from
# now on and at every boot. The build's SSH session survives: ufw keeps established connections.
set -eu
ufw default deny incoming
ufw default allow outgoing
ufw limit 22/tcp
ufw allow 'Nginx HTTP'
ufw --force enable
ufw status verbose
