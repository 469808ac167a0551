#!/bin/bash
# Runs once, at the first interactive root login (hooked into /root/.bashrc by DoInstallFirstLoginScript).
echo
echo "nginx 1-Click: first login"
echo "  Your site:            http://$(hostname -I 2>/dev/null | awk '{print $1}')/"
echo "  Admin password:       $(grep -s ADMIN_PASSWORD /root/.digitalocean_passwords | cut -d= -f2 | sed 's/./*/g') (full value in /root/.digitalocean_passwords)"
echo "  To use HTTPS, install certbot:  apt install certbot python3-certbot-nginx"
echo
cp -f /etc/skel/.bashrc /root/.bashrc
