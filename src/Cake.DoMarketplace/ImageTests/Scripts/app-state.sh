# Cake.DoMarketplace image test: the app's side of the checks made from outside, run as root on the test droplet.
# Sent after fact-helpers.sh (emit). Prints these records, one a line, fields tab-separated, kind first (parsed into
# the records of AppStateFacts.cs, in this order; FactScriptTests holds the two to the same fields):
#   system <state>
#   failed <line>
#   unit <name> <active> <enabled>
#   journal <unit> <line>
#   listen <local address> <line>
#   listener <outcome> <detail> <pid>
#   stopped <pid>
# ACTION selects what to print or do:
#   system     "system" (waits up to WAIT seconds for boot to finish; state "no-systemd" without systemctl) and, when
#              degraded, "failed" per failed unit
#   services   "unit" for each of UNITS (newline-separated); with JOURNAL=1 also the unit's last journal lines as
#              "journal"
#   listeners  "listen" for each listening TCP socket (ADDRESS:PORT and the ss line)
#   listen     starts a temporary listener on PORT (0.0.0.0, else ADDR) that ends by itself after TTL seconds:
#              "listener started HOW PID" or "listener failed WHY 0"
#   unlisten   stops the temporary listener on PORT: "stopped PID"
set -u

listeners() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnp 2>/dev/null | awk 'NR > 1 { line = $0; gsub(/\t/, " ", line); printf "listen\t%s\t%s\n", $4, line }'
    return
  fi
  # No iproute2: read the kernel's tables. State 0A is LISTEN; address and port are hex, IPv4 in host byte order.
  local file address state hex port ip
  for file in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$file" ] || continue
    while read -r _ address _ state _; do
      [ "$state" = 0A ] || continue
      hex=${address%:*}
      port=$((16#${address##*:}))
      case "$hex" in
        00000000 | 00000000000000000000000000000000) ip='*' ;;
        00000000000000000000000001000000) ip='[::1]' ;;
        ????????) ip="$((16#${hex:6:2})).$((16#${hex:4:2})).$((16#${hex:2:2})).$((16#${hex:0:2}))" ;;
        *) ip="[$hex]" ;;
      esac
      emit listen "$ip:$port" "LISTEN $ip:$port ($file; ss not installed)"
    done < <(tail -n +2 "$file")
  done
}

listens_on() { listeners | awk -F'\t' -v p=":$1" 'substr($2, length($2) - length(p) + 1) == p { found = 1 } END { exit !found }'; }

case "${ACTION:-}" in
  system)
    if ! command -v systemctl >/dev/null 2>&1; then emit system no-systemd; exit 0; fi
    # --wait (systemd 240+) returns once boot has finished; older systemctl rejects it and the plain query answers.
    state=$(timeout "${WAIT:-10}" systemctl is-system-running --wait 2>/dev/null | tail -n 1)
    [ -n "$state" ] || state=$(systemctl is-system-running 2>/dev/null | tail -n 1)
    emit system "${state:-unknown}"
    systemctl --failed --plain --no-legend 2>/dev/null | while IFS= read -r line; do
      [ -n "${line//[[:space:]]/}" ] && emit failed "$line"
    done
    ;;
  services)
    while IFS= read -r unit; do
      [ -n "$unit" ] || continue
      if ! command -v systemctl >/dev/null 2>&1; then emit unit "$unit" no-systemd no-systemd; continue; fi
      active=$(systemctl is-active "$unit" 2>/dev/null | head -n 1)
      enabled=$(systemctl is-enabled "$unit" 2>/dev/null | head -n 1)
      if systemctl show -p LoadState "$unit" 2>/dev/null | grep -qx 'LoadState=not-found'; then enabled=not-found; fi
      emit unit "$unit" "${active:-unknown}" "${enabled:-unknown}"
      if [ "${JOURNAL:-0}" = 1 ]; then
        journalctl -u "$unit" -n 5 --no-pager 2>/dev/null | while IFS= read -r line; do emit journal "$unit" "$line"; done
      fi
    done <<< "${UNITS:-}"
    ;;
  listeners)
    listeners
    ;;
  listen)
    port=${PORT:?PORT is required}
    pidfile=/run/cake-domarketplace-listener-$port.pid
    errors=/run/cake-domarketplace-listener-$port.err
    rm -f "$pidfile" "$errors"
    if command -v python3 >/dev/null 2>&1; then
      how=python3
      # cloud-init is Python, so python3 is on every Marketplace image. Accepts and closes connections; ends by itself.
      setsid python3 -c '
import os, socket, sys, time
port, addr, ttl, pidfile = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", port))
except OSError:
    s.bind((addr, port))
s.listen(16)
with open(pidfile, "w") as f:
    f.write(str(os.getpid()))
s.settimeout(1.0)
end = time.time() + ttl
while time.time() < end:
    try:
        s.accept()[0].close()
    except OSError:
        pass
' "$port" "${ADDR:-0.0.0.0}" "${TTL:-120}" "$pidfile" </dev/null >/dev/null 2>"$errors" &
    else
      # A second sshd, without the droplet's configuration: it only has to listen.
      how=sshd
      sshd=$(command -v sshd || echo /usr/sbin/sshd)
      mkdir -p /run/sshd
      "$sshd" -f /dev/null -p "$port" -o PidFile="$pidfile" </dev/null >/dev/null 2>"$errors"
    fi
    for _ in $(seq 1 50); do
      if [ -s "$pidfile" ] && listens_on "$port"; then emit listener started "$how" "$(cat "$pidfile")"; exit 0; fi
      sleep 0.1
    done
    emit listener failed "$how did not listen on port $port within 5 s: $(tail -n 1 "$errors" 2>/dev/null)" 0
    ;;
  unlisten)
    port=${PORT:?PORT is required}
    pidfile=/run/cake-domarketplace-listener-$port.pid
    if [ -s "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null && emit stopped "$pid"
    fi
    rm -f "$pidfile" "/run/cake-domarketplace-listener-$port.err"
    ;;
  *)
    echo "unknown ACTION '${ACTION:-}'" >&2
    exit 2
    ;;
esac
exit 0
