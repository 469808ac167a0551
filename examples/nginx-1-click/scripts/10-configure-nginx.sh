#!/bin/bash
# Enables the site copied from files/ and checks the configuration (the password file comes on first boot).
set -euo pipefail
ln -sf /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default
touch /etc/nginx/.htpasswd && chmod 640 /etc/nginx/.htpasswd && chown root:www-data /etc/nginx/.htpasswd
nginx -t
