#!/bin/bash
# The Django stack as the image ships it: the project owned by its own system user, served by gunicorn (enabled; it
# starts once the first boot has written its settings) behind nginx, the admin's static files collected. PostgreSQL
# keeps Debian's defaults: it listens on localhost only. Nothing secret is made here: every droplet makes its own.
set -euo pipefail
if ! id django >/dev/null 2>&1; then
  adduser --system --group --home /home/django --shell /usr/sbin/nologin django
fi
chown -R django:django /home/django
chmod 750 /home/django

# collectstatic reads the settings, which want the first boot's values: placeholders that go nowhere will do here.
install -d -m 755 /var/www/django/static
(
  cd /home/django/django_project
  DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS='' DJANGO_DB_PASSWORD='' python3 manage.py check
  DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS='' DJANGO_DB_PASSWORD='' python3 manage.py collectstatic --noinput
)
find /home/django/django_project -name __pycache__ -prune -exec rm -rf {} +

rm -f /etc/nginx/sites-enabled/default /var/www/html/index.nginx-debian.html
ln -sf /etc/nginx/sites-available/django /etc/nginx/sites-enabled/django
nginx -t
systemctl reload nginx

systemctl daemon-reload
systemctl enable gunicorn postgresql nginx
