# Cake.DoMarketplace first-boot readiness facts: what cloud-init and the login shell will find on a customer's first
# boot. Read-only. Sent after fact-helpers.sh (emit, cloud_scripts, first_login_hooks). Prints these records, one a
# line, fields tab-separated, kind first (parsed into the records of FirstBootFacts.cs, in this order; FactScriptTests
# holds the two to the same fields):
#   script <stage> <path> <executable> <head> <crlf lines>
#   per_once_record <path>
#   motd <path> <executable>
#   first_login <path> <presence> <executable> <last line> <guard>
set -u
shopt -s nullglob
while IFS=$'\t' read -r stage f; do
  emit script "$stage" "$f" "$([ -x "$f" ] && echo x || echo -)" "$(head -c 2 "$f")" "$(grep -c $'\r' "$f")"
done < <(cloud_scripts)
for f in /var/lib/cloud/sem/*scripts_per_once* /var/lib/cloud/instance/sem/*scripts_per_once*; do
  [ -e "$f" ] && emit per_once_record "$f"
done
for f in /etc/update-motd.d/*; do
  [ -f "$f" ] && emit motd "$f" "$([ -x "$f" ] && echo x || echo -)"
done
while IFS=$'\t' read -r hook guard; do
  last=$(grep -v '^[[:space:]]*$' "$hook" 2>/dev/null | tail -n 1)
  emit first_login "$hook" "$([ -f "$hook" ] && echo present || echo missing)" "$([ -x "$hook" ] && echo x || echo -)" "$last" "$guard"
done < <(first_login_hooks)
