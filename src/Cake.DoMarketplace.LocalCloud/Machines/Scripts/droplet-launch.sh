# Runs as PID 1 of a new mount/PID/UTS namespace (started by unshare). Assembles the droplet's disk, then becomes
# the droplet's init inside the chroot. Every mount made here lives in this namespace and vanishes with it.
# Inputs (environment): LOWER (overlay lowerdir list), UPPER, WORK, ROOT, HOST_NAME, ADDRESS, INIT_SCRIPT.
set -eu
mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$UPPER,workdir=$WORK" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount -t sysfs -o ro sysfs "$ROOT/sys" 2>/dev/null || true
mount --rbind /dev "$ROOT/dev"
mount -t tmpfs -o mode=755 tmpfs "$ROOT/run"
mkdir -p "$ROOT/run/local-cloud" "$ROOT/run/sshd" "$ROOT/run/lock"
cp "$INIT_SCRIPT" "$ROOT/run/local-cloud/init"
chmod 755 "$ROOT/run/local-cloud/init"
cp /etc/resolv.conf "$ROOT/run/local-cloud/resolv.conf"
hostname "$HOST_NAME"
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 ADDRESS="$ADDRESS" \
  chroot "$ROOT" /bin/sh /run/local-cloud/init
