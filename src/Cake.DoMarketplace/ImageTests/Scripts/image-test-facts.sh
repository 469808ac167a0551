# Cake.DoMarketplace image test facts, read on a droplet made from the image. Read-only. Sent after fact-helpers.sh
# (emit, cloud_scripts, first_login_hooks). Prints these records, one a line, fields tab-separated, kind first (parsed
# into the records of ImageTestFacts.cs, in this order; FactScriptTests holds the two to the same fields):
#   os <pretty name>
#   instance <id> <started at>
#   status <status>
#   errors <count>
#   script <stage> <path>
#   sem <stage> <ran at>
#   motd <path> <first line>
#   hook <path>
#   authorized_key <line>
set -u
shopt -s nullglob
mtime() { if [ -e "$1" ]; then stat -c %Y "$1"; else echo 0; fi; }
# shellcheck source=/dev/null
emit os "$(if [ -r /etc/os-release ]; then . /etc/os-release; fi; printf '%s' "${PRETTY_NAME:-}")"
emit instance "$(cat /var/lib/cloud/data/instance-id 2>/dev/null)" "$(mtime /var/lib/cloud/data/instance-id)"
emit status "$(cloud-init status 2>/dev/null | awk '/^status:/ {print $2}')"
# -1: result.json cannot be read (cloud-init has not finished), which is not "no errors".
errors=$(python3 -c 'import json;r=json.load(open("/var/lib/cloud/data/result.json"))["v1"];print(len(r.get("errors",[])))' 2>/dev/null || echo -1)
emit errors "$errors"
cloud_scripts | while IFS=$'\t' read -r stage f; do emit script "$stage" "$f"; done
emit sem per-once "$(mtime /var/lib/cloud/sem/config_scripts_per_once.once)"
emit sem per-instance "$(mtime /var/lib/cloud/instance/sem/config_scripts_per_instance)"
for f in /etc/update-motd.d/99-*; do [ -x "$f" ] && emit motd "$f" "$("$f" 2>/dev/null | grep -m1 -v '^[[:space:]]*$' | head -c 200)"; done
first_login_hooks | while IFS=$'\t' read -r hook _; do emit hook "$hook"; done
if [ -f /root/.ssh/authorized_keys ]; then
  grep -v '^[[:space:]]*#' /root/.ssh/authorized_keys | grep -v '^[[:space:]]*$' | while read -r line; do emit authorized_key "$line"; done
fi
