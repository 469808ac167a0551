# Runs in a new mount namespace (unshare): assembles the droplet's disk, config drive and root, then becomes
# systemd-nspawn, which starts droplet-init.sh as the machine's PID 1 (it becomes systemd) in the droplet's own network
# namespace. Every mount made here lives in this namespace and vanishes with it, the loop devices included (autoclear).
# Inputs (environment): DISK (ext4 image), DISK_MOUNT, CONFIG_DRIVE (ext2 image labelled config-2), DRIVE_MOUNT,
# LOWER (overlay lowerdir list), ROOT, BOOT (folder for droplet-init.sh: dmi/, init), MACHINE (machine name),
# NETNS (network namespace file), GATEWAY (the host side of the droplet's link: its DNS).
set -eu
# No online discard: like a DigitalOcean droplet's disk, a deleted file's blocks keep its bytes until overwritten, so
# what DoCleanupImage's free-space erase does (or misses) is as true here as there.
mount -o loop "$DISK" "$DISK_MOUNT"
# The disk's ext4 settings (/sys/fs/ext4/loopN), writable inside as a DigitalOcean droplet's own are to its root: the
# image cleanup lifts ext4's metadata reserve there so its free-space fill reaches every free block. The disk itself is
# the droplet's /dev/vda, as on DigitalOcean: the free-space erase zeroes the free blocks on it directly.
DISK_DEVICE="$(findmnt -n -o SOURCE "$DISK_MOUNT")"
DISK_SETTINGS="/sys/fs/ext4/$(basename "$DISK_DEVICE")"
# The config drive is a second disk, /dev/vdb, as on DigitalOcean: a device beside the disk, never part of it.
mount -o loop,ro "$CONFIG_DRIVE" "$DRIVE_MOUNT"
DRIVE_DEVICE="$(findmnt -n -o SOURCE "$DRIVE_MOUNT")"
{
  echo "vda $(lsblk -dno MAJ:MIN "$DISK_DEVICE" | tr -d ' ')"
  echo "vdb $(lsblk -dno MAJ:MIN "$DRIVE_DEVICE" | tr -d ' ')"
} > "$BOOT/devices"
mkdir -p "$DISK_MOUNT/upper" "$DISK_MOUNT/work"
mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$DISK_MOUNT/upper,workdir=$DISK_MOUNT/work" "$ROOT"
# The droplet's resolver is its gateway, as a DigitalOcean droplet's is DigitalOcean's: the host forwards it to its own.
rm -f "$ROOT/etc/resolv.conf"
echo "nameserver $GATEWAY" > "$ROOT/etc/resolv.conf"
# systemd-nspawn keeps per-machine state in /run/systemd/nspawn: private to this namespace, gone with it.
mkdir -p /run/systemd/nspawn
mount -t tmpfs -o mode=755,size=1m tmpfs /run/systemd/nspawn
# Not --boot: PID 1 is droplet-init.sh, which execs systemd; SIGRTMIN+3 asks systemd for a clean poweroff, as --boot would.
exec systemd-nspawn --quiet --directory="$ROOT" --machine="$MACHINE" --kill-signal=SIGRTMIN+3 \
  --register=no --keep-unit --link-journal=no --resolv-conf=off --timezone=off \
  --network-namespace-path="$NETNS" --capability=CAP_NET_ADMIN --bind="$DISK_SETTINGS" \
  --bind-ro="$BOOT:/run/local-cloud-boot" /bin/sh /run/local-cloud-boot/init
