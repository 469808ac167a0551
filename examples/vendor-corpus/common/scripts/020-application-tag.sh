#!/bin/sh
# Writes /var/lib/digitalocean/application.info, the record of what an image is that DigitalOcean's own 1-Click
# images carry: the application, its version and the base it was built on. The template passes application_name and
# application_version (or application_package, whose installed version is used when no version is given).
set -eu
: "${application_name:?the template sets application_name in environment_vars}"
version=${application_version:-}
if [ -z "$version" ] && [ -n "${application_package:-}" ]; then
  version=$(dpkg-query --show --showformat='${Version}' "$application_package")
fi
: "${version:?set application_version, or application_package to an installed package}"
# shellcheck source=/dev/null
. /etc/os-release
mkdir -p /var/lib/digitalocean
cat > /var/lib/digitalocean/application.info <<INFO
application_name="${application_name}"
application_version="${version}"
build_date="$(date -u +%Y-%m-%d)"
distro="${NAME}"
distro_release="${VERSION_ID}"
distro_codename="${VERSION_CODENAME}"
distro_arch="$(uname -m)"
INFO
cat /var/lib/digitalocean/application.info
