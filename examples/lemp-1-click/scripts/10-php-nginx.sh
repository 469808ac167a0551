#!/bin/bash
# nginx hands PHP to PHP-FPM through Debian's version-neutral socket; the default page goes.
set -euo pipefail
ln -sf /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default
rm -f /var/www/html/index.nginx-debian.html
chown -R www-data:www-data /var/www/html
nginx -t
systemctl enable nginx "php$(php -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;')-fpm" mariadb
systemctl reload nginx
