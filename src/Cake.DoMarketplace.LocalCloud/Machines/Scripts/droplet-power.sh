#!/bin/sh
# Local cloud stand-in for poweroff, shutdown, halt and reboot (a droplet here has no systemd): asks PID 1 to stop
# the droplet (USR1) or to reboot it (USR2).
signal=USR1
case "${0##*/}" in reboot) signal=USR2 ;; esac
for argument in "$@"; do
  case "$argument" in
    -r|--reboot) signal=USR2 ;;
    -c) echo "no pending shutdown" >&2; exit 0 ;;
  esac
done
sync
exec kill -s "$signal" 1
