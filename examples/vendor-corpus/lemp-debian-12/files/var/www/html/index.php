<?php
// The LEMP droplet's landing page: nginx hands it to PHP-FPM, which reaches MariaDB with the credentials this
// droplet's first boot made. It says which of them work.
$settings = @parse_ini_file('/var/www/database.ini');
$address = is_array($settings) ? $settings['site_address'] : null;
$database = 'not set up yet: the first boot writes /var/www/database.ini';
if (is_array($settings)) {
    try {
        $pdo = new PDO('mysql:unix_socket=/run/mysqld/mysqld.sock;dbname=' . $settings['name'], $settings['user'], $settings['password']);
        $database = 'connected (MariaDB ' . htmlspecialchars($pdo->query('SELECT VERSION()')->fetchColumn()) . ')';
    } catch (PDOException $e) {
        $database = 'unreachable: ' . htmlspecialchars($e->getMessage());
    }
}
?>
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>LEMP on Debian 12</title></head>
<body>
  <h1>Your LEMP droplet is ready</h1>
  <p>nginx, PHP <?= PHP_VERSION ?> (FPM) and MariaDB on Debian 12.</p>
  <p>Database: <?= $database ?></p>
  <p>Site address: <?= $address === null ? 'unknown' : 'http://' . htmlspecialchars($address) . '/' ?></p>
  <p>The MariaDB passwords are in <code>/root/.digitalocean_password</code>, made on this droplet's first boot.
     Put your site in <code>/var/www/html</code>.</p>
</body>
</html>
