#!/bin/sh
# The droplet's PID 1 for its first instant: gives the machine what a DigitalOcean droplet's virtual hardware gives
# it, then becomes systemd. Everything made here lives in the machine's own mount namespace (tmpfs, device nodes)
# and nothing of it is written to the droplet's disk, so none of it can end up in a snapshot.
#  - DMI identity: /sys/devices/virtual/dmi/id (and /sys/class/dmi/id), which cloud-init's ds-identify and
#    DigitalOcean's agent installer read: sys_vendor and bios_vendor DigitalOcean, product_name Droplet, the droplet
#    id as product_serial. The host has no DMI; sysfs is read-only here, so each of the two folders becomes a tmpfs
#    holding a bind of every entry it had, plus dmi.
#  - Its own network devices in sysfs: systemd-nspawn binds the host's /sys when it joins a network namespace it did
#    not make, so /sys/class/net listed the host's interfaces (and the host's MAC as eth0's). The net folders come
#    from a sysfs mounted here, inside the droplet's network namespace.
#  - Block devices: the disk as /dev/vda and the config drive (label config-2) as /dev/vdb, real device nodes so
#    blkid finds them by scanning /dev as on a droplet.
# Input: the folder BOOT (bound read-only by systemd-nspawn): dmi/<key> files, devices ("name major:minor" lines).
set -eu
BOOT=/run/local-cloud-boot
STAGE=/run/local-cloud-sysfs

mkdir -p "$STAGE/own"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$STAGE/own"
for top in /sys/class /sys/devices/virtual; do
  mkdir -p "$STAGE$top"
  mount --bind "$top" "$STAGE$top"
  # Private, or the tmpfs below would propagate onto the staging bind and hide what it must copy.
  mount --make-private "$STAGE$top"
  mount -t tmpfs -o mode=755 tmpfs "$top"
  for entry in "$STAGE$top"/*; do
    name="${entry##*/}"
    mkdir "$top/$name"
    if [ "$name" = net ]; then entry="$STAGE/own${top#/sys}/net"; fi
    mount --bind "$entry" "$top/$name"
  done
done

mkdir -p /sys/devices/virtual/dmi/id /sys/class/dmi
cp "$BOOT"/dmi/* /sys/devices/virtual/dmi/id/
chmod 0444 /sys/devices/virtual/dmi/id/*
# As in the kernel: the serial and uuid are root's only.
chmod 0400 /sys/devices/virtual/dmi/id/product_serial /sys/devices/virtual/dmi/id/product_uuid
ln -s ../../devices/virtual/dmi/id /sys/class/dmi/id
mount -o remount,bind,ro /sys/devices/virtual
mount -o remount,bind,ro /sys/class
umount "$STAGE/sys/class" "$STAGE/sys/devices/virtual" "$STAGE/own"
rm -rf "$STAGE"

while read -r name numbers; do
  rm -f "/dev/$name"
  mknod -m 0660 "/dev/$name" b "${numbers%:*}" "${numbers#*:}"
  chgrp disk "/dev/$name" 2>/dev/null || true
done < "$BOOT/devices"

# Lazily: this script is still being read from it.
umount -l "$BOOT"
rmdir "$BOOT"
exec /sbin/init "$@"
