# PID 1 of a local-cloud droplet (a plain shell: cloud-init reads /proc/1/environ, which sshd would garble).
# Boots like a cloud image: cloud-init's local and network stages (keys, hostname, host keys), then sshd on the
# droplet's own loopback address, then cloud-init's config and final stages (user-data, per-* scripts).
# SIGTERM is a clean shutdown: services stop, disks sync, PID 1 exits.
LOG=/var/log/local-cloud-boot.log
[ -s /etc/resolv.conf ] || cat /run/local-cloud/resolv.conf > /etc/resolv.conf 2>/dev/null
sshd_pid=""
final_pid=""
shutdown_now() {
  echo "$(date -u +%FT%TZ) shutdown requested" >> "$LOG"
  [ -n "$final_pid" ] && kill -TERM "$final_pid" 2>/dev/null
  [ -n "$sshd_pid" ] && kill -TERM "$sshd_pid" 2>/dev/null
  kill -TERM -1 2>/dev/null
  sleep 0.2
  sync
  exit 0
}
trap shutdown_now TERM INT

echo "$(date -u +%FT%TZ) boot" >> "$LOG"
cloud-init init --local >> "$LOG" 2>&1
cloud-init init >> "$LOG" 2>&1
[ -e /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -A >> "$LOG" 2>&1
/usr/sbin/sshd -D -e -o "ListenAddress=$ADDRESS:22" >> /var/log/local-cloud-sshd.log 2>&1 &
sshd_pid=$!
( cloud-init modules --mode=config; cloud-init modules --mode=final ) >> "$LOG" 2>&1 &
final_pid=$!
wait "$final_pid"
final_pid=""
echo "$(date -u +%FT%TZ) cloud-init final stage done" >> "$LOG"
while :; do
  sleep 3600 &
  wait $!
done
