#!/bin/bash
# A stand-in for img_check.sh: proves that every provisioner before it did its part (the addin validates the image itself).
set -e
test -x /etc/update-motd.d/99-sample
test -f /etc/sample/app.conf
test ! -e /etc/etc                      # files/etc/ copied its contents, not the folder
test -f /opt/sample/README              # files/opt copied the folder itself
test -x /var/lib/cloud/scripts/per-instance/001_onboot
grep -q "^Sample 2.0$" /etc/sample-release
grep -q "^built by digitalocean at [0-9]\{10\}$" /etc/sample-release
grep -q "version=2.0" /etc/sample/installed
test -s /etc/sample/license
echo "img_check: all provisioners did their part"
