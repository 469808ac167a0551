#!/bin/bash
# Per-instance, on each customer droplet's first boot, with its services running: a random MariaDB root password
# (kept in /root/.digitalocean_password, as DigitalOcean's own 1-Click apps do), an app database and user for the
# landing page, then the services restarted to pick up the new settings.
set -euo pipefail
for _ in $(seq 1 60); do mariadb-admin ping --silent && break; sleep 1; done
random() { openssl rand -base64 24 | tr -d '/+=' | cut -c1-24; }
root_password=$(random)
app_password=$(random)
mariadb <<SQL
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('${root_password}');
CREATE DATABASE IF NOT EXISTS app;
CREATE USER IF NOT EXISTS 'app'@'localhost' IDENTIFIED BY '${app_password}';
ALTER USER 'app'@'localhost' IDENTIFIED BY '${app_password}';
GRANT ALL PRIVILEGES ON app.* TO 'app'@'localhost';
FLUSH PRIVILEGES;
SQL
umask 077
printf 'root_mysql_pass="%s"\n' "$root_password" > /root/.digitalocean_password
umask 027
printf "<?php return ['name' => 'app', 'user' => 'app', 'password' => '%s'];\n" "$app_password" > /var/www/html/config.php
chown root:www-data /var/www/html/config.php
systemctl restart mariadb
systemctl restart "php$(php -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;')-fpm"
systemctl restart nginx
