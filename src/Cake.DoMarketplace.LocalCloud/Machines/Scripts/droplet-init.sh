# PID 1 of a local-cloud droplet, inside the chroot. A plain shell: cloud-init reads /proc/1/environ, which sshd
# would garble. Boots like a cloud image under systemd would: cloud-init's local and network stages (keys,
# hostname, host keys), then sshd on the droplet's own loopback address, then cloud-init's config and final stages.
# Signals: TERM/INT/USR1 stop cleanly (exit 0, "power off"); USR2 reboots (exit 3). poweroff, shutdown, halt and
# reboot inside the droplet send them (there is no systemd).
LOG=/var/log/local-cloud-boot.log
exec >>"$LOG" 2>&1
now() { date -u +%FT%T.%NZ; }
stop() {
  echo "$(now) stop requested (exit $1)"
  rm -f /etc/ssh/sshd_config.d/00-local-cloud.conf
  kill -TERM -1 2>/dev/null
  i=0; while [ $i -lt 50 ] && kill -0 -1 2>/dev/null; do sleep 0.1; i=$((i+1)); done
  kill -KILL -1 2>/dev/null
  sync
  echo "$(now) stopped"
  exit "$1"
}
trap 'stop 0' TERM INT USR1
trap 'stop 3' USR2

echo "$(now) boot"
[ -s /etc/resolv.conf ] || cat /run/local-cloud/resolv.conf > /etc/resolv.conf
cloud-init init --local
cloud-init init
echo "$(now) cloud-init network stage done"
mkdir -p /etc/ssh/sshd_config.d
echo "ListenAddress $ADDRESS:22" > /etc/ssh/sshd_config.d/00-local-cloud.conf
ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A
[ "${SSHD_DELAY:-0}" -gt 0 ] && sleep "$SSHD_DELAY"
/usr/sbin/sshd -E /var/log/local-cloud-sshd.log
echo "$(now) sshd started on $ADDRESS:22"
cloud-init modules --mode=config
cloud-init modules --mode=final
echo "$(now) cloud-init final stage done"
while :; do
  sleep 3600 &
  wait $!
done
