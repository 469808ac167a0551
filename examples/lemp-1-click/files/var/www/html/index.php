<?php
// LEMP 1-Click landing page: proves nginx → PHP-FPM → MariaDB work together on this droplet.
$config = @include __DIR__ . '/config.php';
$database = 'not configured yet (the first boot writes config.php)';
if (is_array($config)) {
    try {
        $pdo = new PDO("mysql:host=localhost;dbname={$config['name']}", $config['user'], $config['password']);
        $version = $pdo->query('SELECT VERSION()')->fetchColumn();
        $database = 'connected (MariaDB ' . htmlspecialchars($version) . ')';
    } catch (PDOException $e) {
        $database = 'unreachable: ' . htmlspecialchars($e->getMessage());
    }
}
?>
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>LEMP 1-Click</title></head>
<body>
  <h1>Your LEMP droplet is ready</h1>
  <p>nginx, PHP <?= PHP_VERSION ?> (FPM) and MariaDB.</p>
  <p>Database: <?= $database ?></p>
  <p>The MariaDB root password is in <code>/root/.digitalocean_password</code>, made on this droplet's first boot.</p>
</body>
</html>
