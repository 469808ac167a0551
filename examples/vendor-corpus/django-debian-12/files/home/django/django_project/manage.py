#!/usr/bin/env python3
"""Django's command line for this project; run it as the django user with the settings' environment, for example:
set -a; . /etc/django/django.env; set +a; runuser -u django -- python3 manage.py migrate
"""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
