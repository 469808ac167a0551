"""Erases the free space of the filesystem that holds FILLER_DIRECTORY (default /): afterwards every free block reads back as zero.

Writing zeros through a file (dd if=/dev/zero of=/zerofile) writes every free block, although most of a fresh droplet's
free space was never written and reads as zero already. This erases the same blocks with less work:
  1. the free space is claimed by filler files with fallocate (no data written), so nothing else can take those blocks;
  2. FIEMAP gives the file's blocks on the disk; the disk is found by a random marker written through the file and
     read back from the block device, whatever lies between (partitions, overlayfs, loop devices);
  3. when the disk zeroes ranges itself (write_zeroes_max_bytes > 0: virtio-blk, NVMe, SCSI WRITE SAME, loop devices),
     every claimed range is zeroed by it: unmapped where it can (fallocate PUNCH_HOLE on the block device, which a
     thin disk turns into free space), else BLKZEROOUT; a read returns zeros afterwards by either command's contract.
     Otherwise each range is read with O_DIRECT and only the chunks that are not all zero are zeroed;
  4. the fillers are deleted, and the blocks return to the free space, zero.
Exit status 3 means "cannot do it this way here" (no usable block device, unusual extents): the caller falls back to
writing zeros through a file. Output: one summary line.
"""

import ctypes
import errno
import fcntl
import mmap
import os
import secrets
import stat
import struct
import sys
import time

BLKZEROOUT = 0x127F
FALLOC_FL_KEEP_SIZE = 0x1
FALLOC_FL_PUNCH_HOLE = 0x2
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
FS_IOC_FIEMAP = 0xC020660B
FIEMAP_FLAG_SYNC = 0x1
FIEMAP_EXTENT_LAST = 0x1
# Extents whose disk location is not plain bytes at fe_physical (unknown, delayed, encoded, encrypted, unaligned, inline).
FIEMAP_EXTENT_NOT_PLAIN = 0x2 | 0x4 | 0x8 | 0x80 | 0x100 | 0x200
FIEMAP_HEADER = struct.Struct("=QQIIII")
FIEMAP_EXTENT = struct.Struct("=QQQQQIIII")
EXTENTS_PER_CALL = 512
# Two of ext4's longest unwritten extents (32767 blocks): a filler of this size usually fits in its inode.
CLAIM_STEP_BLOCKS = 2 * 32767
CHUNK = 4 << 20
CANNOT = 3
FILLER = ".zerofill-%05d"


class CannotHere(Exception):
    """This disk or filesystem needs the plain fill instead."""


def claim(path, size, marker):
    """Creates one filler file (the marker block, or size bytes by fallocate); returns (extents, full, holds metadata)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    full = False
    try:
        if marker is not None:
            os.pwrite(fd, marker, 0)
            os.fsync(fd)
        else:
            try:
                os.posix_fallocate(fd, 0, size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                full = True
        mapped = list(extents(fd))
        holds_metadata = os.fstat(fd).st_blocks * 512 > sum(length for _, _, length in mapped)
    except BaseException:
        os.unlink(path)  # not in the caller's list yet: a filler left behind would keep the disk full
        raise
    finally:
        os.close(fd)
    return mapped, full, holds_metadata


def claim_free_space(directory, files, block_size):
    """Fills the free space with filler files that each keep their extents in their inode, appended to files.

    A file with more extents than its inode holds gets extent-tree blocks from the free space. Those go through the
    journal and are freed with the file before ext4 writes them home, so their old bytes would stay on the disk
    unerased. Such a file is deleted at once and its space claimed again in smaller files."""
    step = CLAIM_STEP_BLOCKS * block_size
    while True:
        path = os.path.join(directory, FILLER % len(files))
        mapped, full, holds_metadata = claim(path, step, None)
        if holds_metadata:
            os.unlink(path)
            os.sync()
        elif mapped:
            files.append((path, mapped))
        else:
            os.unlink(path)
        if full and not mapped and step == block_size:
            return
        if full or holds_metadata:
            step = max(step // 2, block_size)


def extents(fd):
    """Yields (logical offset, physical offset, length) of every extent of the file, beyond its end included."""
    start = 0
    while True:
        request = bytearray(FIEMAP_HEADER.size + EXTENTS_PER_CALL * FIEMAP_EXTENT.size)
        FIEMAP_HEADER.pack_into(request, 0, start, 0xFFFFFFFFFFFFFFFF - start, FIEMAP_FLAG_SYNC, 0, EXTENTS_PER_CALL, 0)
        try:
            fcntl.ioctl(fd, FS_IOC_FIEMAP, request)
        except OSError as error:
            raise CannotHere(f"the filesystem does not map files to disk blocks (FIEMAP: {error.strerror})") from error
        mapped = FIEMAP_HEADER.unpack_from(request, 0)[3]
        if mapped == 0:
            return
        for index in range(mapped):
            logical, physical, length, _, _, flags, _, _, _ = FIEMAP_EXTENT.unpack_from(
                request, FIEMAP_HEADER.size + index * FIEMAP_EXTENT.size)
            if flags & FIEMAP_EXTENT_NOT_PLAIN:
                raise CannotHere(f"an extent with flags {flags:#x}")
            yield logical, physical, length
            start = logical + length
            if flags & FIEMAP_EXTENT_LAST:
                return


def aligned_buffer(size):
    # O_DIRECT needs a page-aligned buffer: an anonymous mmap is one.
    return mmap.mmap(-1, size)


def find_disk(marker, physical):
    """The block device on which the marker lies at the physical offset: the disk under the filesystem."""
    buffer = aligned_buffer(len(marker))
    for folder in ("/dev", "/dev/mapper"):
        if not os.path.isdir(folder):
            continue
        for entry in sorted(os.listdir(folder)):
            path = os.path.join(folder, entry)
            try:
                if not stat.S_ISBLK(os.stat(path).st_mode):
                    continue
                fd = os.open(path, os.O_RDONLY | os.O_DIRECT)
            except OSError:
                continue
            try:
                if os.preadv(fd, [buffer], physical) == len(marker) and buffer[:] == marker:
                    return path
            except OSError:
                pass
            finally:
                os.close(fd)
    raise CannotHere("no block device here holds the filesystem's blocks")


def zeroes_ranges_itself(disk):
    device = os.stat(disk).st_rdev
    sysfs = "/sys/dev/block/%d:%d" % (os.major(device), os.minor(device))
    for queue in (os.path.join(sysfs, "queue"), os.path.join(sysfs, "..", "queue")):
        try:
            with open(os.path.join(queue, "write_zeroes_max_bytes"), encoding="ascii") as knob:
                return int(knob.read()) > 0
        except OSError:
            continue
    return False


class Zeroer:
    """Zeroes pieces of the claimed space on the disk: unmapped where the disk can (fallocate PUNCH_HOLE on the block
    device: zeroed reads guaranteed, and a thin disk such as a loop device's sparse file gets the space back), else
    BLKZEROOUT (the disk writes zeros, or the kernel does); through the filler where the disk refuses the piece."""

    def __init__(self, disk):
        try:
            self.fd = os.open(disk, os.O_RDWR | os.O_DIRECT)
        except OSError as error:
            raise CannotHere(f"{disk} cannot be opened for writing ({error.strerror})") from error
        self.unmaps = True
        self.unmapped = 0
        self.through_files = 0

    def zero(self, path, logical, physical, size):
        try:
            if self.unmaps and self.unmap(physical, size):
                self.unmapped += size
                return
            fcntl.ioctl(self.fd, BLKZEROOUT, struct.pack("=QQ", physical, size))
        except OSError as error:
            # EBUSY: the kernel could not drop the disk's cached copy of a block in the piece (a freed block of the
            # filesystem's own metadata still cached). The filler owns the piece: zeros written through it land there.
            if error.errno != errno.EBUSY:
                raise
            fd = os.open(path, os.O_WRONLY)
            try:
                os.pwrite(fd, bytes(size), logical)
                os.fsync(fd)
            finally:
                os.close(fd)
            self.through_files += size

    def unmap(self, physical, size):
        """fallocate(PUNCH_HOLE) on a block device zeroes without writing, or fails with EOPNOTSUPP: never half done."""
        if LIBC.fallocate(self.fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, ctypes.c_int64(physical), ctypes.c_int64(size)) == 0:
            return True
        error = ctypes.get_errno()
        if error in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENODEV):
            self.unmaps = False
            return False
        raise OSError(error, os.strerror(error))

    def close(self):
        os.close(self.fd)


def pieces(ranges):
    """Splits (path, logical, physical, length) ranges into pieces of at most CHUNK bytes."""
    for path, logical, physical, length in ranges:
        for offset in range(0, length, CHUNK):
            yield path, logical + offset, physical + offset, min(CHUNK, length - offset)


def erase(ranges, disk, offloaded):
    """Zeroes the ranges; returns (bytes zeroed, of which through the fillers). Offloaded: every piece is zeroed by
    the disk; else each piece is read and only those that are not all zero are zeroed."""
    written = 0
    zeroer = Zeroer(disk)
    try:
        buffer = aligned_buffer(CHUNK)
        zeros = bytes(CHUNK)
        for path, logical, physical, size in pieces(ranges):
            if not offloaded:
                with memoryview(buffer)[:size] as view:
                    if os.preadv(zeroer.fd, [view], physical) != size:
                        raise OSError(errno.EIO, f"short read at {physical} on {disk}")
                # A slice of the mmap is a bytes copy: comparing bytes is a memcmp, comparing memoryviews is not.
                if buffer[:size] == (zeros if size == CHUNK else bytes(size)):
                    continue
            zeroer.zero(path, logical, physical, size)
            written += size
    finally:
        zeroer.close()
    return written, zeroer.unmapped, zeroer.through_files


def size(count):
    """A byte count as people read it: 9.6 GiB, 4.0 KiB."""
    if count < 1024:
        return f"{count} B"
    for unit in ("KiB", "MiB"):
        count /= 1024
        if count < 1024:
            return f"{count:.1f} {unit}"
    return f"{count / 1024:.1f} GiB"


def main():
    directory = os.environ.get("FILLER_DIRECTORY", "/")
    started = time.monotonic()
    for stale in os.listdir(directory):  # a run killed midway leaves its fillers, which fill the disk
        if stale.startswith(FILLER.split("%", 1)[0]):
            os.unlink(os.path.join(directory, stale))
    os.sync()  # blocks freed a moment ago are allocatable only once the journal has committed their release
    block_size = os.statvfs(directory).f_bsize
    marker = secrets.token_bytes(block_size)
    files = []
    try:
        # The disk first, from one block: where there is none to reach, nothing is claimed.
        first = os.path.join(directory, FILLER % 0)
        mapped, _, _ = claim(first, block_size, marker)
        files.append((first, mapped))
        if not mapped or mapped[0][0] != 0:
            raise CannotHere("the marker block is not mapped")
        disk = find_disk(marker, mapped[0][1])
        claim_free_space(directory, files, block_size)
        ranges = [(path, logical, physical, length) for path, mapped in files for logical, physical, length in mapped]
        claimed = sum(length for _, _, _, length in ranges)
        # READ_FIRST=1: read and zero only what is not zero even where the disk could zero ranges itself (tests).
        offloaded = zeroes_ranges_itself(disk) and os.environ.get("READ_FIRST") != "1"
        written, unmapped, through_files = erase(ranges, disk, offloaded)
    except CannotHere as reason:
        print(f"block-level erase not possible here: {reason}")
        return CANNOT
    finally:
        for path, _ in files:
            os.unlink(path)
        os.sync()
    how = "the disk zeroed it itself" if offloaded else f"read it all, {size(written)} was not zero and was zeroed"
    zeroed_out = written - unmapped - through_files
    ways = [f"{size(unmapped)} unmapped"] + ([f"{size(zeroed_out)} by BLKZEROOUT"] if zeroed_out else []) + (
        [f"{size(through_files)} written through the filler files"] if through_files else [])
    print(f"{size(claimed)} erased on {disk} (every free block now reads as zero): {how}, {', '.join(ways)}; "
          f"{time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
