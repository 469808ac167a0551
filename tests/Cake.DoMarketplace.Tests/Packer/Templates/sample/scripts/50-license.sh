#!/bin/bash
# Stores the licence key and ends with status 3, which the template lists among its valid_exit_codes.
# shellcheck disable=SC2154 # license_key comes from the template's environment_vars
echo "license key in use: ${license_key}"
echo "${license_key}" > /etc/sample/license
chmod 600 /etc/sample/license
exit 3
