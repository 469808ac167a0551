# Cake.DoMarketplace validation facts, evaluated by DoValidateImage. Read-only but for the package index refresh.
# Password hashes never leave the machine: only their state (locked, empty, set) is printed.
# Inputs (environment): REFRESH=1|0|reuse (refresh the package index before looking for security updates; reuse: unless
# APT_INDEX_IS_FRESH, the addin's shell test (AptIndex.IsFresh), says this build's package steps refreshed it moments ago).
# Sent after package-locks.sh (package_run: the refresh waits while another process holds the package manager's locks;
# when that wait runs out, the script ends with PACKAGE_LOCK_TIMEOUT_STATUS) and fact-helpers.sh (emit).
# Prints these records, one a line, fields tab-separated, kind first (parsed into the records of ValidationFacts.cs, in
# this order; FactScriptTests holds the two to the same fields):
#   os <name> <version id> <id> <id like>
#   cloudinit <path>
#   tmp_mode <mode>
#   opt_digitalocean <presence>
#   firewall <tool> <state> <input policy>
#   security_update <package>
#   updates_checked <checked at> <refresh> <listing>
#   rotated_log <path> <type>
#   log <path> <size>
#   root_password <password state>
#   root_ssh_file <owner> <file> <size>
#   root_history <size>
#   user <name> <uid> <home> <password state>
#   user_ssh_file <owner> <file> <size>
#   user_history <name> <size>
set -u
shopt -s nullglob dotglob

# shellcheck source=/dev/null
if [ -r /etc/os-release ]; then . /etc/os-release; fi
emit os "${NAME:-}" "${VERSION_ID:-}" "${ID:-}" "${ID_LIKE:-}"
emit cloudinit "$(command -v cloud-init || true)"
emit tmp_mode "$(stat -c %a /tmp 2>/dev/null)"
emit opt_digitalocean "$([ -e /opt/digitalocean ] && echo present || echo absent)"

# Firewalls: each tool's own idea of "active", plus raw rule counts (the input policy is iptables' only).
if command -v ufw >/dev/null 2>&1; then emit firewall ufw "$(ufw status 2>/dev/null | head -1 | awk '{print $2}')" ''; fi
if command -v firewall-cmd >/dev/null 2>&1; then emit firewall firewalld "$(firewall-cmd --state 2>/dev/null || echo not-running)" ''; fi
if command -v csf >/dev/null 2>&1; then
  emit firewall csf "$(if csf -l >/dev/null 2>&1 && ! grep -qs '^TESTING *= *"1"' /etc/csf/csf.conf; then echo active; else echo inactive; fi)" ''
fi
if command -v nft >/dev/null 2>&1; then
  emit firewall nftables "$(nft list ruleset 2>/dev/null | grep -cE '^[[:space:]]+(ip|ip6|tcp|udp|ct|iif|iifname|oif|meta|counter|drop|reject|accept|jump)\b')" ''
fi
if command -v iptables >/dev/null 2>&1; then
  emit firewall iptables "$(iptables -S 2>/dev/null | grep -c '^-A')" "$(iptables -S INPUT 2>/dev/null | awk '/^-P INPUT/{print $3}')"
fi

# Pending security updates, from the package manager's own metadata. The listing's own outcome is a record too: a
# listing that failed prints no security_update either, and that must not read as "none pending".
refresh=skipped
listing="no package manager (apt-get, dnf or yum)"
if command -v apt-get >/dev/null 2>&1; then
  if [ "${REFRESH:-1}" = reuse ] && [ -n "${APT_INDEX_IS_FRESH:-}" ] && eval "$APT_INDEX_IS_FRESH"; then
    refresh="reused from this build's refresh"
  elif [ "${REFRESH:-1}" != 0 ]; then
    package_run apt-get -qq update >/dev/null
    case $? in 0) refresh=ok ;; "$PACKAGE_LOCK_TIMEOUT_STATUS") exit "$PACKAGE_LOCK_TIMEOUT_STATUS" ;; *) refresh=failed ;; esac
  fi
  if simulation=$(apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>&1); then
    listing=ok
    awk '/^Inst / && tolower($0) ~ /security/ {print $2}' <<< "$simulation" | while read -r pkg; do emit security_update "$pkg"; done
  else
    listing="failed: apt-get -s dist-upgrade: $(grep -v '^[[:space:]]*$' <<< "$simulation" | tail -n 1)"
  fi
elif command -v dnf >/dev/null 2>&1 || command -v yum >/dev/null 2>&1; then
  pm=$(command -v dnf || command -v yum)
  if [ "${REFRESH:-1}" = 1 ]; then
    package_run "$pm" -q makecache >/dev/null
    case $? in 0) refresh=ok ;; "$PACKAGE_LOCK_TIMEOUT_STATUS") exit "$PACKAGE_LOCK_TIMEOUT_STATUS" ;; *) refresh=failed ;; esac
  fi
  # check-update exits 100 when updates are pending, 0 when none, 1 on an error.
  updates=$("$pm" -q check-update --security 2>/dev/null)
  status=$?
  if [ "$status" = 0 ] || [ "$status" = 100 ]; then
    listing=ok
    awk 'NF==3 && $1 !~ /^(Last|Security|Obsoleting)/ {print $1}' <<< "$updates" | while read -r pkg; do emit security_update "$pkg"; done
  else
    listing="failed: ${pm##*/} check-update --security exited with status $status"
  fi
fi
emit updates_checked "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$refresh" "$listing"

# Log archives as DigitalOcean's scan (99-img-check.sh) sees them: whatever exists matching /var/log/*-???????? or
# /var/log/*.[0-9], expanded as its bash does (no dotglob), even an empty file, a live log whose name ends in '-' and 8
# characters (cloud-init.log) or a folder (Ubuntu's unattended-upgrades); it warns about each. Compressed ones are ours.
shopt -u dotglob
for f in /var/log/*-???????? /var/log/*.[0-9]; do
  if [ -d "$f" ]; then emit rotated_log "$f" folder; elif [ -e "$f" ]; then emit rotated_log "$f" file; fi
done
shopt -s dotglob
for f in /var/log/*.gz /var/log/*.xz; do [ -f "$f" ] && emit rotated_log "$f" compressed; done
while IFS= read -r -d '' f; do emit log "$f" "$(stat -c %s -- "$f")"; done < <(find /var/log -type f -name '*.log' -size +50c -print0 2>/dev/null)

hash_state() {
  local hash
  hash=$(awk -F: -v u="$1" '$1 == u {print $2}' /etc/shadow 2>/dev/null)
  case "$hash" in '!'|'!!'|'*') echo locked ;; '') echo empty ;; *) echo set ;; esac
}
ssh_files() { # KIND OWNER HOME
  local f
  for f in "$3"/.ssh/*; do [ -f "$f" ] && emit "$1" "$2" "${f##*/}" "$(stat -c %s -- "$f")"; done
}
history_size() { if [ -f "$1/.bash_history" ]; then stat -c %s -- "$1/.bash_history"; else echo 0; fi; }

emit root_password "$(hash_state root)"
ssh_files root_ssh_file root /root
emit root_history "$(history_size /root)"
while IFS=: read -r user _ uid _ _ home _; do
  [ "$uid" -ge 1000 ] 2>/dev/null || continue
  case "$user" in nobody|nfsnobody) continue ;; esac
  emit user "$user" "$uid" "$home" "$(hash_state "$user")"
  ssh_files user_ssh_file "$user" "$home"
  emit user_history "$user" "$(history_size "$home")"
done < <(getent passwd)
