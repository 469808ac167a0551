# PID 1 of a new mount/PID/UTS namespace (started by unshare): assembles the droplet's disk and root, then becomes
# the droplet's init inside the chroot. Every mount made here lives in this namespace and vanishes with it, the
# disk's loop device included (autoclear).
# Inputs (environment): DISK (ext4 image), DISK_MOUNT, LOWER (overlay lowerdir list), ROOT, SEED (NoCloud files),
# HOST_NAME, ADDRESS, INIT_SCRIPT, POWER_SCRIPT.
set -eu
mount -o loop,discard "$DISK" "$DISK_MOUNT"
mkdir -p "$DISK_MOUNT/upper" "$DISK_MOUNT/work"
mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$DISK_MOUNT/upper,workdir=$DISK_MOUNT/work" "$ROOT"
mkdir -p -m 700 "$ROOT/var/lib/cloud/seed/nocloud"
cp -p "$SEED"/* "$ROOT/var/lib/cloud/seed/nocloud/"
mount -t proc proc "$ROOT/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$ROOT/sys"
mount -t tmpfs -o mode=755,nosuid,nodev,size=64m tmpfs "$ROOT/run"
mkdir -p "$ROOT/dev/pts" "$ROOT/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$ROOT/dev/pts"
mount --bind "$ROOT/dev/pts/ptmx" "$ROOT/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev,size=64m tmpfs "$ROOT/dev/shm"
mkdir -p "$ROOT/run/local-cloud" "$ROOT/run/lock" "$ROOT/run/sshd"
cp "$INIT_SCRIPT" "$ROOT/run/local-cloud/init"
cp "$POWER_SCRIPT" "$ROOT/run/local-cloud/power"
chmod 755 "$ROOT/run/local-cloud/init" "$ROOT/run/local-cloud/power"
cp /etc/resolv.conf "$ROOT/run/local-cloud/resolv.conf"
hostname "$HOST_NAME"
exec chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  ADDRESS="$ADDRESS" SSHD_DELAY="${SSHD_DELAY:-0}" /bin/sh /run/local-cloud/init
