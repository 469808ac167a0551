#!/bin/sh
# Runs on each build droplet with the builder's name in IMAGE_VARIANT ({{build_name}}) and in PACKER_BUILD_NAME.
set -eu
# shellcheck source=/dev/null
. /etc/os-release
printf '%s %s on Debian %s\n' "$APP_NAME" "$IMAGE_VARIANT" "$VERSION_ID" > /etc/hello-variant
echo "hello: $(cat /etc/hello-variant) (PACKER_BUILD_NAME=$PACKER_BUILD_NAME)"
