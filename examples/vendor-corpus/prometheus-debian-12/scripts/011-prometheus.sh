#!/bin/bash
# Prometheus as the image ships it: Prometheus and the node exporter on localhost only, reached through nginx with a
# login; no metrics of the build droplet in the image (each droplet starts its own history).
set -euo pipefail
sed -i 's|^ARGS=.*|ARGS="--web.listen-address=127.0.0.1:9090"|' /etc/default/prometheus
sed -i 's|^ARGS=.*|ARGS="--web.listen-address=127.0.0.1:9100"|' /etc/default/prometheus-node-exporter
grep -qx 'ARGS="--web.listen-address=127.0.0.1:9090"' /etc/default/prometheus
grep -qx 'ARGS="--web.listen-address=127.0.0.1:9100"' /etc/default/prometheus-node-exporter
promtool check config /etc/prometheus/prometheus.yml

rm -f /etc/nginx/sites-enabled/default /var/www/html/index.nginx-debian.html
ln -sf /etc/nginx/sites-available/prometheus /etc/nginx/sites-enabled/prometheus
nginx -t
systemctl reload nginx

systemctl enable prometheus prometheus-node-exporter nginx
systemctl restart prometheus-node-exporter
systemctl stop prometheus
rm -rf /var/lib/prometheus/metrics2
