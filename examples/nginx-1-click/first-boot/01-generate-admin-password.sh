#!/bin/bash
# Per-instance: every droplet made from the image gets its own admin password, on its first boot.
set -euo pipefail
password=$(openssl rand -base64 18 | tr -d '/+=' | cut -c1-20)
umask 077
printf 'ADMIN_USER=admin\nADMIN_PASSWORD=%s\n' "$password" > /root/.digitalocean_passwords
printf 'admin:%s\n' "$(openssl passwd -apr1 "$password")" > /etc/nginx/.htpasswd
chown root:www-data /etc/nginx/.htpasswd
chmod 640 /etc/nginx/.htpasswd
