# Cake.DoMarketplace image cleanup. Runs as root on the build droplet through one SSH session.
# Inputs (environment): PKG=apt|dnf|yum, UPDATE=1|0, FREE_SPACE=zero|fstrim|skip, KEEP=newline-separated paths to keep,
# ERASER=the source of erase-free-space.py (the free-space erase; empty: zeros through a file), READ_FIRST=1|0,
# APT_INDEX_IS_FRESH=a shell test, true when the package index need not be refreshed.
# Sent after package-locks.sh (package_run, which waits while another process holds the package manager's locks,
# bounded by PACKAGE_LOCK_TIMEOUT: CleanupSettings.PackageLockTimeout) and its package_locks_begin.
set -u
shopt -s nullglob dotglob
export DEBIAN_FRONTEND=noninteractive

is_kept() {
  local path="$1" kept
  while IFS= read -r kept; do
    [ -n "$kept" ] || continue
    case "$path" in "$kept"|"$kept"/*) return 0 ;; esac
  done <<< "${KEEP:-}"
  return 1
}

# remove [-v] LABEL PATH... : deletes the paths that exist and are not kept, and says how many and how big (-v: and
# which); a category with nothing to remove says nothing.
remove() {
  local list=0 label count=0 bytes=0 path size
  if [ "$1" = -v ]; then list=1; shift; fi
  label="$1"
  shift
  for path in "$@"; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    if is_kept "$path"; then echo "    kept $path"; continue; fi
    size=$(du -sb -- "$path" 2>/dev/null | cut -f1)
    bytes=$((bytes + ${size:-0}))
    count=$((count + 1))
    rm -rf -- "$path"
    if [ "$list" = 1 ]; then echo "    removed $path (${size:-0} bytes)"; fi
  done
  if [ "$count" -gt 0 ]; then echo "==> $label: removed $count item(s), $bytes bytes"; fi
}

# quietly CMD...: runs CMD with its standard output (a package manager's progress) held back and its standard error (its
# warnings and errors) shown; when CMD fails, the last lines of the held-back output are printed after all.
# A wait for the package manager's locks that ran out has said so itself (package_locks_timed_out).
quietly() {
  local out status shown
  out=$("$@") && return 0
  status=$?
  if [ "$status" = "$PACKAGE_LOCK_TIMEOUT_STATUS" ]; then return "$status"; fi
  shown="$*"
  echo "    '${shown#package_run }' failed with status $status; its last output lines:"
  printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
  return "$status"
}

# after_packages STATUS [EXIT]: after package commands that ended with STATUS. When the package manager stayed busy past
# the lock timeout, ends the script with PACKAGE_LOCK_TIMEOUT_STATUS (the addin names the holder and the setting); after
# another failure ends it with EXIT, or without one lets it go on.
after_packages() {
  if [ "$1" = 0 ]; then return 0; fi
  if [ "$1" = "$PACKAGE_LOCK_TIMEOUT_STATUS" ]; then exit "$1"; fi
  if [ -n "${2:-}" ]; then exit "$2"; fi
  return 0
}

# The installed packages, one "name version" line each, sorted: what a package run changed is the difference.
inventory() {
  # shellcheck disable=SC2016 # dpkg-query's own ${field} syntax, not the shell's
  case "$PKG" in
    apt) dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' 2>/dev/null | awk '$1 ~ /^ii/ {print $2, $3}' ;;
    *) rpm -qa --qf '%{NAME} %{VERSION}-%{RELEASE}\n' 2>/dev/null ;;
  esac | LC_ALL=C sort
}

# changes BEFORE AFTER: one line saying which packages were installed or upgraded (with their new version) and removed.
changes() {
  local changed removed
  changed=$(LC_ALL=C comm -13 <(printf '%s\n' "$1") <(printf '%s\n' "$2") | grep -v '^$' | paste -sd, - | sed 's/,/, /g')
  removed=$(LC_ALL=C comm -23 <(cut -d' ' -f1 <<< "$1") <(cut -d' ' -f1 <<< "$2") | grep -v '^$' | paste -sd, - | sed 's/,/, /g')
  if [ -z "$changed$removed" ]; then echo "no package changed; caches cleaned"; return; fi
  echo "${changed:+installed or upgraded: $changed; }${removed:+removed: $removed; }caches cleaned"
}

if [ "${UPDATE:-1}" = 1 ]; then
  before=$(inventory)
  case "$PKG" in
    apt)
      apt_options=(-y -qq -o Dpkg::Use-Pty=0 -o APT::Color=0)
      # APT_INDEX_IS_FRESH: the addin's test (AptIndex.IsFresh) that this build refreshed the index minutes ago from
      # the same sources; then it is not fetched once more.
      if [ -n "${APT_INDEX_IS_FRESH:-}" ] && eval "$APT_INDEX_IS_FRESH"; then
        echo "    package index: refreshed by this build, sources unchanged: not refreshed again"
      else
        quietly package_run apt-get "${apt_options[@]}" update
        after_packages $? 10
      fi
      quietly package_run apt-get "${apt_options[@]}" -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold dist-upgrade && \
      quietly package_run apt-get "${apt_options[@]}" autoremove --purge && quietly package_run apt-get "${apt_options[@]}" autoclean && \
      quietly package_run apt-get "${apt_options[@]}" clean
      after_packages $? 10 ;;
    dnf)
      quietly package_run dnf -y -q upgrade && quietly package_run dnf -y -q autoremove && quietly package_run dnf clean all -q
      after_packages $? 10 ;;
    yum)
      quietly package_run yum -y -q update && quietly package_run yum clean all -q
      after_packages $? 10 ;;
  esac
  echo "==> packages ($PKG): $(changes "$before" "$(inventory)")"
fi

# DigitalOcean's agents (the droplet agent, installed on new droplets unless the create request says otherwise, and
# do-agent with monitoring): package, service and files. DigitalOcean's image scan fails an image with /opt/digitalocean.
for agent in droplet-agent do-agent; do
  case "$PKG" in
    apt)
      if dpkg -s "$agent" >/dev/null 2>&1; then
        quietly package_run apt-get -y -qq -o Dpkg::Use-Pty=0 purge "$agent" && echo "==> $agent (DigitalOcean's agent): purged"
        after_packages $?
      fi ;;
    *)
      if rpm -q "$agent" >/dev/null 2>&1; then
        quietly package_run "$PKG" -y -q remove "$agent" && echo "==> $agent (DigitalOcean's agent): removed"
        after_packages $?
      fi ;;
  esac
  # A unit its package did not take with it (installed by hand, or a removal that failed half way).
  for unit in "/etc/systemd/system/$agent.service" "/lib/systemd/system/$agent.service" "/usr/lib/systemd/system/$agent.service"; do
    [ -e "$unit" ] || continue
    if command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now "$agent.service" >/dev/null 2>&1 || true
    fi
    rm -f "$unit" && echo "==> $agent service: removed $unit"
  done
done
remove "DigitalOcean agent files" /opt/digitalocean

remove "temporary files" /tmp/* /var/tmp/*
mkdir -p /tmp /var/tmp && chmod 1777 /tmp /var/tmp && echo "==> /tmp and /var/tmp: mode 1777"

histories=()
for home in /root /home/*; do
  for name in .bash_history .zsh_history .python_history .mysql_history .psql_history .lesshst .viminfo .wget-hsts; do
    histories+=("$home/$name")
  done
done
remove "shell histories" "${histories[@]}"
unset HISTFILE

# cloud-init state: the per-once semaphores (sem/) and instance records, so that per-once and per-instance scripts
# run on the customer's first boot, and NoCloud seeds (the build's user data). scripts/ stays: 'cloud-init clean'
# would delete it too.
remove "cloud-init state" /var/lib/cloud/instances/* /var/lib/cloud/instance /var/lib/cloud/sem/* /var/lib/cloud/data/* /var/lib/cloud/seed/nocloud*

if command -v journalctl >/dev/null 2>&1 && [ -d /var/log/journal ] && ! is_kept /var/log/journal; then
  journalctl --rotate >/dev/null 2>&1; journalctl --vacuum-time=1s >/dev/null 2>&1
  echo "==> systemd journal: vacuumed"
fi
# DigitalOcean's scan (99-img-check.sh) reports every /var/log/*-???????? and /var/log/*.[0-9] as a "log archive" (a WARN
# per file, even an empty one): a live log whose name ends in '-' and 8 characters counts too, such as cloud-init.log or
# mariadb-slow.log. Their own cleanup deletes these files (rm -rf /var/log/*-???????? /var/log/*.[0-9]); the program
# writing a live one recreates it. Same globs, expanded as their bash expands them (no dotglob), top level, regular
# files only.
shopt -u dotglob
archives=()
for file in /var/log/*-???????? /var/log/*.[0-9]; do
  if [ -f "$file" ] && [ ! -L "$file" ]; then archives+=("$file"); fi
done
shopt -s dotglob
remove -v "log archives DigitalOcean's scan flags (/var/log/*-???????? and /var/log/*.[0-9])" ${archives[@]+"${archives[@]}"}
mapfile -t rotated < <(find /var/log -regextype posix-extended -type f \( -name '*.gz' -o -name '*.xz' -o -name '*.[0-9]' -o -name '*.[0-9].log' -o -name '*.old' -o -regex '.*-[0-9]{8}' \) 2>/dev/null)
remove "rotated logs" ${rotated[@]+"${rotated[@]}"} # (bash before 4.4 calls an empty "${a[@]}" unbound)
count=0; bytes=0
while IFS= read -r -d '' file; do
  is_kept "$file" && { echo "    kept $file"; continue; }
  size=$(stat -c %s -- "$file")
  [ "$size" -gt 0 ] || continue
  bytes=$((bytes + size)); count=$((count + 1))
  truncate -s 0 -- "$file"
done < <(find /var/log -type f ! -path '/var/log/journal/*' -print0 2>/dev/null)
echo "==> logs (lastlog, wtmp, btmp included): emptied $count file(s), $bytes bytes"

if [ -s /etc/machine-id ] && ! is_kept /etc/machine-id; then
  truncate -s 0 /etc/machine-id && echo "==> machine-id: emptied (regenerated on first boot)"
fi

# Then, in this already open session: keys. New SSH logins fail from here on; cloud-init makes new host keys and
# installs the customer's key on the first boot of each droplet made from the image.
remove "SSH keys (authorized_keys, host keys)" /root/.ssh/authorized_keys /home/*/.ssh/authorized_keys /etc/ssh/ssh_host_*key*
touch /etc/ssh/revoked_keys && chmod 600 /etc/ssh/revoked_keys && echo "==> /etc/ssh/revoked_keys: present, mode 600"

# Last, free space: after every deletion above, so that none of what they removed (the build's host keys included)
# stays readable in the freed blocks.
# ext4 holds back up to 16 MiB of free clusters for its own metadata (reserved_clusters): a plain fill never reaches
# them, and a file deleted a moment ago is what lands there (a marker test found every byte of it after the fill).
# The reserve is lifted for the fill and put back after; the setting is not persistent, a remount restores it anyway.
lift_ext4_reserve() {
  local knob
  for knob in /sys/fs/ext4/*/reserved_clusters; do
    if [ -w "$knob" ]; then
      saved_reserves+=("$knob=$(cat "$knob")")
      echo 0 > "$knob" 2>/dev/null || true
    fi
  done
}
restore_ext4_reserve() {
  local entry
  for entry in "${saved_reserves[@]}"; do
    echo "${entry#*=}" > "${entry%%=*}" 2>/dev/null || true
  done
}
saved_reserves=()
case "${FREE_SPACE:-zero}" in
  zero)
    lift_ext4_reserve
    # The block-level erase (ERASER, erase-free-space.py) zeroes the same blocks without writing the ones that read
    # as zero already; where it cannot run (no python3, no reachable block device: exit 3), zeros go through a file.
    if command -v python3 >/dev/null 2>&1 && [ -n "${ERASER:-}" ] && erased=$(python3 -c "$ERASER"); then
      echo "==> free space: $erased"
    else
      [ -n "${erased:-}" ] && echo "    $erased"
      before=$(df -B1 --output=avail / | tail -1)
      dd if=/dev/zero of=/zerofile bs=4M status=none 2>/dev/null; sync; rm -f /zerofile; sync
      echo "==> free space: zero-filled $before bytes through /zerofile"
    fi
    restore_ext4_reserve
    echo "    ext4's metadata reserve was lifted for it on ${#saved_reserves[@]} disk(s), so it reached every free block" ;;
  fstrim)
    if command -v fstrim >/dev/null 2>&1 && fstrim -v / 2>/dev/null; then echo "==> free space: trimmed"
    else echo "==> free space: fstrim unsupported on this disk; nothing done"; fi ;;
  *) echo "==> free space: skipped" ;;
esac

sync
