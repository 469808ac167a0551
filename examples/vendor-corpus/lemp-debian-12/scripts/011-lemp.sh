#!/bin/bash
# The LEMP stack as the image ships it: the droplet's site instead of Debian's default page, PHP through PHP-FPM's
# version-neutral socket, and MariaDB without its anonymous users and test database (what mysql_secure_installation
# asks for). The passwords are made on each droplet's first boot, never here.
set -euo pipefail
rm -f /etc/nginx/sites-enabled/default /var/www/html/index.nginx-debian.html
ln -sf /etc/nginx/sites-available/digitalocean /etc/nginx/sites-enabled/digitalocean
chown -R www-data:www-data /var/www/html
nginx -t
systemctl reload nginx

mariadb <<'SQL'
DELETE FROM mysql.global_priv WHERE User = '';
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1');
DROP DATABASE IF EXISTS test;
DELETE FROM mysql.db WHERE Db = 'test' OR Db = 'test\_%';
FLUSH PRIVILEGES;
SQL

php_fpm="php$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')-fpm"
systemctl enable --now nginx mariadb "$php_fpm"
