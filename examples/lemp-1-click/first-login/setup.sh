#!/bin/bash
# Runs once, at the first interactive root login (hooked into /root/.bashrc by DoInstallFirstLoginScript).
echo
echo "LEMP 1-Click: first login"
echo "  Your site:              http://$(hostname -I 2>/dev/null | awk '{print $1}')/"
echo "  MariaDB root password:  in /root/.digitalocean_password"
echo "  PHP files:              /var/www/html"
echo
cp -f /etc/skel/.bashrc /root/.bashrc
