#!/bin/sh
# Firewall of the nginx apps: SSH rate-limited, HTTP and HTTPS open (nginx's own ufw profile), everything else closed,
# from now on and at every boot. The build's SSH session survives: ufw keeps established connections.
set -eu
ufw default deny incoming
ufw default allow outgoing
ufw limit 22/tcp
ufw allow 'Nginx Full'
ufw --force enable
ufw status verbose
