# Runs in a new mount namespace (unshare): assembles the droplet's disk and root, then becomes systemd-nspawn, which
# boots the root with systemd as PID 1 in the droplet's own network namespace. Every mount made here lives in this
# namespace and vanishes with it, the disk's loop device included (autoclear).
# Inputs (environment): DISK (ext4 image), DISK_MOUNT, LOWER (overlay lowerdir list), ROOT, SEED (NoCloud files),
# MACHINE (machine name), NETNS (network namespace file), GATEWAY (the host side of the droplet's link: its DNS).
set -eu
# No online discard: like a DigitalOcean droplet's disk, a deleted file's blocks keep its bytes until overwritten, so
# what DoCleanupImage's free-space erase does (or misses) is as true here as there.
mount -o loop "$DISK" "$DISK_MOUNT"
# The disk's ext4 settings (/sys/fs/ext4/loopN), writable inside as a DigitalOcean droplet's own are to its root: the
# image cleanup lifts ext4's metadata reserve there so its free-space fill reaches every free block. The disk itself is
# the droplet's /dev/vda, as on DigitalOcean: the free-space erase zeroes the free blocks on it directly.
DISK_DEVICE="$(findmnt -n -o SOURCE "$DISK_MOUNT")"
DISK_SETTINGS="/sys/fs/ext4/$(basename "$DISK_DEVICE")"
mkdir -p "$DISK_MOUNT/upper" "$DISK_MOUNT/work"
mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$DISK_MOUNT/upper,workdir=$DISK_MOUNT/work" "$ROOT"
mkdir -p "$ROOT/var/lib/cloud/seed/nocloud"
chmod 700 "$ROOT/var/lib/cloud/seed/nocloud"
cp -p "$SEED"/* "$ROOT/var/lib/cloud/seed/nocloud/"
# The droplet's resolver is its gateway, as a DigitalOcean droplet's is DigitalOcean's: the host forwards it to its own.
rm -f "$ROOT/etc/resolv.conf"
echo "nameserver $GATEWAY" > "$ROOT/etc/resolv.conf"
# systemd-nspawn keeps per-machine state in /run/systemd/nspawn: private to this namespace, gone with it.
mkdir -p /run/systemd/nspawn
mount -t tmpfs -o mode=755,size=1m tmpfs /run/systemd/nspawn
exec systemd-nspawn --quiet --boot --directory="$ROOT" --machine="$MACHINE" \
  --register=no --keep-unit --link-journal=no --resolv-conf=off --timezone=off \
  --network-namespace-path="$NETNS" --capability=CAP_NET_ADMIN --bind="$DISK_SETTINGS" --bind="$DISK_DEVICE:/dev/vda"
