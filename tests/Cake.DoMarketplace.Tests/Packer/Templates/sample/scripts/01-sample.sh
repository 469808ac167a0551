#!/bin/bash
# Installs the sample "application": a configuration written from the template's variables.
# shellcheck disable=SC2154 # application_name and application_version come from the template's environment_vars
set -euo pipefail
echo "application=${application_name} version=${application_version}" > /etc/sample/installed
chmod 644 /etc/sample/installed
