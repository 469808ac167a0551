#!/bin/bash
# What mysql_secure_installation does, unattended: no anonymous users, no test database, root only from localhost.
# The root password itself is set per droplet on first boot (first-boot/001_onboot.sh), never baked into the image.
set -euo pipefail
mariadb <<'SQL'
DELETE FROM mysql.global_priv WHERE User = '';
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1');
DROP DATABASE IF EXISTS test;
DELETE FROM mysql.db WHERE Db = 'test' OR Db = 'test\_%';
FLUSH PRIVILEGES;
SQL
