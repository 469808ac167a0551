# Cake.DoMarketplace package manager locks: who holds them, a wait while another process does, and a run that waits
# again when another process takes them as it starts. Sent before every command and script of the addin that runs a
# package manager (PackageLockBudget.cs: DoUpdatePackages, DoInstallPackages, cleanup.sh, collect-facts.sh).
# Definitions only: nothing runs here.
# Inputs (environment), read when a function runs: PACKAGE_LOCK_TIMEOUT = seconds the waits of this run may last in all
# (default 600), counted from package_locks_begin or the first wait; PACKAGE_LOCK_SETTING = the setting behind it, named
# in the progress lines and when it runs out.
# Why: on DigitalOcean's Ubuntu droplets unattended-upgrades holds apt's locks for minutes after the first boot, and
# apt-get fails at once ("Could not get lock /var/lib/dpkg/lock-frontend"). apt's own DPkg::Lock::Timeout waits for the
# dpkg locks only (not the lists lock of 'apt-get update', checked on apt 2.6) and says nothing while it waits.

# The status of a run whose locks stayed held past PACKAGE_LOCK_TIMEOUT (EX_TEMPFAIL); PackageLocks.TimeoutStatus.
PACKAGE_LOCK_TIMEOUT_STATUS=75

# The files apt, dpkg and rpm hold an fcntl lock on while they run: dpkg's frontend lock (apt ≥ 1.9 and dpkg hold it for
# a whole run) and database lock, the lists lock of 'apt-get update', the archives lock while downloading; rpm's
# database lock (both places rpm keeps its database in).
package_lock_files() {
  printf '%s\n' /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock \
    /var/lib/rpm/.rpm.lock /usr/lib/sysimage/rpm/.rpm.lock
}

# The pid files dnf 4 and yum hold instead: locked while the process whose pid is written in it lives (their own rule;
# the file of a dead process is stale, and they take it over).
package_pid_files() {
  printf '%s\n' /var/lib/dnf/rpmdb_lock.pid /var/cache/dnf/metadata_lock.pid /var/cache/dnf/download_lock.pid /var/run/yum.pid
}

# The kernel's table of file locks (fcntl, flock, OFD): one a line, with the holder's pid (in this pid namespace).
package_lock_table() {
  cat /proc/locks
}

# package_lock_holders: one line "PID<TAB>COMMAND<TAB>PATH" for each package manager lock held now, nothing when all are
# free; status 3 when the lock table cannot be read (a table not read never reads as "free").
# The kernel's lock table names each holder's pid, but names the file by device:inode, and those are not always what
# stat says: on overlayfs (a container's root) a file copied up keeps its old inode number in the lock table while stat
# gives the new one. So the table only says which processes hold a lock ("->" marks one waiting for it, holding
# nothing); each of those holds a lock file when a descriptor it has open on that file carries an fcntl lock
# (/proc/PID/fdinfo lists the locks taken through a descriptor as "lock:" lines). flock(2) locks do not count: they
# never stop apt, dpkg or rpm, whose locks are fcntl's.
package_lock_holders() {
  local table path pid fd target name
  local -a descriptors=()
  local -A wanted=()
  if ! table=$(package_lock_table); then
    echo "package_lock_holders: cannot read the kernel's lock table (/proc/locks)" >&2
    return 3
  fi
  while IFS= read -r path; do
    if [ -e "$path" ]; then wanted[$(readlink -f -- "$path")]=$path; fi
  done < <(package_lock_files)
  for pid in $(printf '%s\n' "$table" | awk 'NF >= 6 && $2 !~ /^->/ && $5 > 0 {print $5}' | sort -un); do
    descriptors+=("/proc/$pid/fd")
  done
  if [ "${#wanted[@]}" -gt 0 ] && [ "${#descriptors[@]}" -gt 0 ]; then
    # One find for every descriptor of those processes ("/proc/PID/fd/N<TAB>target"), a process gone meanwhile skipped.
    while IFS=$'\t' read -r fd target; do
      if [ -z "${wanted[$target]:-}" ] || ! grep -Eqs '^lock:.*(POSIX|OFDLCK)' "${fd%/fd/*}/fdinfo/${fd##*/}"; then continue; fi
      pid=${fd#/proc/}; pid=${pid%%/*}
      name="?"; read -r name 2>/dev/null < "/proc/$pid/comm"
      printf '%s\t%s\t%s\n' "$pid" "${name:-?}" "${wanted[$target]}"
    done < <(find "${descriptors[@]}" -mindepth 1 -maxdepth 1 -printf '%p\t%l\n' 2>/dev/null) | awk '!seen[$0]++'
  fi
  while IFS= read -r path; do
    [ -r "$path" ] || continue
    pid=$(tr -dc '0-9' < "$path" | head -c 10)
    if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
      name="?"; read -r name 2>/dev/null < "/proc/$pid/comm"
      printf '%s\t%s\t%s\n' "$pid" "${name:-?}" "$path"
    fi
  done < <(package_pid_files)
}

# package_lock_state: reads package_lock_holders lines and says them in one line, one part per process:
# "process 1234 (unattended-upgr) holds /var/lib/dpkg/lock-frontend, /var/lib/dpkg/lock" (PackageLocks.Describe).
package_lock_state() {
  awk -F'\t' '
    NF >= 3 {
      if (!($1 in paths)) { order[++count] = $1; names[$1] = $2; paths[$1] = $3 } else { paths[$1] = paths[$1] ", " $3 }
    }
    END {
      for (i = 1; i <= count; i++) {
        pid = order[i]
        who = pid > 0 ? "process " pid " (" names[pid] ")" : "a process of unknown pid"
        printf "%s%s holds %s", (i > 1 ? "; " : ""), who, paths[pid]
      }
    }'
}

# package_locks_begin: starts the clock of this run's waits; call it before any subshell that waits, so that they all
# share one PACKAGE_LOCK_TIMEOUT.
package_locks_begin() {
  PACKAGE_LOCK_DEADLINE=$(( $(date +%s) + ${PACKAGE_LOCK_TIMEOUT:-600} ))
  export PACKAGE_LOCK_DEADLINE
}

# package_locks_wait: returns once no package manager lock is held. While one is, says who holds it on standard error,
# at once (even when the time is already up), when the holder changes and every 10 s; probes after 0.2 s, then less often, up to every 5 s. Returns
# PACKAGE_LOCK_TIMEOUT_STATUS once this run's waits reach PACKAGE_LOCK_TIMEOUT, 3 when the lock table cannot be read.
package_locks_wait() {
  local holders state reported_state="" start now last_report=-10 delay=2
  if [ -z "${PACKAGE_LOCK_DEADLINE:-}" ]; then package_locks_begin; fi
  start=$(date +%s)
  while true; do
    holders=$(package_lock_holders) || return 3
    now=$(date +%s)
    if [ -z "$holders" ]; then
      if [ -n "$reported_state" ]; then echo "    the package manager is free after $((now - start))s" >&2; fi
      return 0
    fi
    state=$(printf '%s\n' "$holders" | package_lock_state)
    if [ "$state" != "$reported_state" ] || [ $((now - last_report)) -ge 10 ]; then
      echo "    waiting for the package manager: $state; $((now - start))s so far (${PACKAGE_LOCK_SETTING:-lock timeout} ${PACKAGE_LOCK_TIMEOUT:-600}s)" >&2
      reported_state=$state
      last_report=$now
    fi
    if [ "$now" -ge "$PACKAGE_LOCK_DEADLINE" ]; then
      package_locks_timed_out "$state"
      return "$PACKAGE_LOCK_TIMEOUT_STATUS"
    fi
    sleep "$((delay / 10)).$((delay % 10))"
    delay=$((delay * 3 / 2)); if [ "$delay" -gt 50 ]; then delay=50; fi
  done
}

# package_locks_timed_out STATE: the line that ends a wait that ran out (PackageLocks.StateAtTimeout reads STATE back).
package_locks_timed_out() {
  echo "    the package manager stayed busy: $1. Waited ${PACKAGE_LOCK_TIMEOUT:-600}s in all;" \
    "raise ${PACKAGE_LOCK_SETTING:-the lock timeout} to wait longer." >&2
}

# package_lock_error: true when the output on standard input says a package manager could not take its locks: apt's
# "E: Could not get lock …" and "E: Unable to lock …", "E: Unable to acquire the dpkg frontend lock …", dpkg's "… is
# locked by another process".
package_lock_error() {
  grep -Eq '^E: (Could not get lock|Unable to lock|Unable to acquire the dpkg frontend lock)|^dpkg: error: .*locked by another process'
}

# package_run COMMAND ARG…: runs a package manager command once the locks are free (package_locks_wait). When it fails
# because another process took a lock between that wait and its start, waits and runs it again, within the same
# PACKAGE_LOCK_TIMEOUT. Its output passes through; its standard error is also kept, to recognise that failure.
package_run() {
  local errors status
  errors=$(mktemp) || return 1
  while true; do
    package_locks_wait || { status=$?; break; }
    { "$@" 2>&1 1>&3 3>&- | tee "$errors" >&2; status=${PIPESTATUS[0]}; } 3>&1
    if [ "$status" = 0 ] || ! package_lock_error < "$errors"; then break; fi
    if [ "$(date +%s)" -ge "$PACKAGE_LOCK_DEADLINE" ]; then
      package_locks_timed_out "$(grep -E -m1 '^E: Could not get lock|locked by another process' "$errors" || echo 'another process holds its locks')"
      status=$PACKAGE_LOCK_TIMEOUT_STATUS
      break
    fi
    echo "    another process took the package manager's locks as '$1' started; waiting for them again" >&2
    sleep 1
  done
  rm -f "$errors"
  return "$status"
}
