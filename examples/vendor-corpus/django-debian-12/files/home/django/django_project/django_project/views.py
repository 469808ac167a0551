"""The droplet's welcome page: it answers only when Django, gunicorn and PostgreSQL work together."""
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse
from django.utils.html import escape


def home(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    migrations = MigrationRecorder(connection).migration_qs.count()
    hosts = ", ".join(settings.ALLOWED_HOSTS)
    return HttpResponse(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Django on Debian 12</title></head><body>\n"
        "<h1>Your Django droplet is ready</h1>\n"
        f"<p>Database: connected ({escape(version.split(' on ')[0])}), {migrations} migrations applied.</p>\n"
        f"<p>Serving host names: {escape(hosts)}</p>\n"
        "<p>The admin is at <a href=\"/admin/\">/admin/</a>; its password is in /root/.digitalocean_password.</p>\n"
        "</body></html>\n"
    )
