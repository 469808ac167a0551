# Cake.DoMarketplace first-boot readiness facts: what cloud-init and the login shell will find on a customer's first
# boot. One fact per line, tab-separated. Read-only.
set -u
shopt -s nullglob
emit() { local IFS=$'\t'; printf '%s\n' "$*"; }
for stage in per-once per-instance per-boot; do
  for f in /var/lib/cloud/scripts/"$stage"/*; do
    [ -f "$f" ] || continue
    emit script "$stage" "$f" "$([ -x "$f" ] && echo x || echo -)" "$(head -c 2 "$f")" "$(grep -c $'\r' "$f")"
  done
done
for f in /var/lib/cloud/sem/*scripts_per_once* /var/lib/cloud/instance/sem/*scripts_per_once*; do
  [ -e "$f" ] && emit per_once_record "$f"
done
for f in /etc/update-motd.d/*; do
  [ -f "$f" ] && emit motd "$f" "$([ -x "$f" ] && echo x || echo -)"
done
if [ -f /root/.bashrc ]; then
  grep -v '^[[:space:]]*#' /root/.bashrc | grep -E '/opt/[^[:space:];)]+\.sh' | while IFS= read -r line; do
    hook=$(grep -oE '/opt/[^[:space:];)]+\.sh' <<< "$line" | head -n 1)
    last=$(grep -v '^[[:space:]]*$' "$hook" 2>/dev/null | tail -n 1)
    guarded=$(case "$line" in *'$-'*|*PS1*) echo guarded ;; *) echo bare ;; esac)
    emit first_login "$hook" "$([ -f "$hook" ] && echo present || echo missing)" "$([ -x "$hook" ] && echo x || echo -)" "$last" "$guarded"
  done
fi
