# Cake.DoMarketplace image test facts, read on a droplet made from the image. Tab-separated, one per line. Read-only.
set -u
shopt -s nullglob
emit() { local IFS=$'\t'; printf '%s\n' "$*"; }
mtime() { if [ -e "$1" ]; then stat -c %Y "$1"; else echo 0; fi; }
emit instance "$(cat /var/lib/cloud/data/instance-id 2>/dev/null)" "$(mtime /var/lib/cloud/data/instance-id)"
emit status "$(cloud-init status 2>/dev/null | awk '/^status:/ {print $2}')"
errors=$(python3 -c 'import json;r=json.load(open("/var/lib/cloud/data/result.json"))["v1"];print(len(r.get("errors",[])))' 2>/dev/null || echo 0)
emit errors "$errors"
for stage in per-once per-instance per-boot; do
  for f in /var/lib/cloud/scripts/"$stage"/*; do [ -f "$f" ] && emit script "$stage" "$f"; done
done
emit sem per-once "$(mtime /var/lib/cloud/sem/config_scripts_per_once.once)"
emit sem per-instance "$(mtime /var/lib/cloud/instance/sem/config_scripts_per_instance)"
for f in /etc/update-motd.d/99-*; do [ -x "$f" ] && emit motd "$f" "$("$f" 2>/dev/null | grep -m1 -v '^[[:space:]]*$' | head -c 200)"; done
if [ -f /root/.bashrc ]; then
  grep -v '^[[:space:]]*#' /root/.bashrc | grep -oE '/opt/[^[:space:];)]+\.sh' | while read -r hook; do emit hook "$hook"; done
fi
if [ -f /root/.ssh/authorized_keys ]; then
  grep -v '^[[:space:]]*#' /root/.ssh/authorized_keys | grep -v '^[[:space:]]*$' | while read -r line; do emit authorized_key "$line"; done
fi
