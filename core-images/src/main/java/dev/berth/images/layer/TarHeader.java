package dev.berth.images.layer;

import java.util.Map;

/**
 * One tar entry's metadata after PAX and GNU long-name records have been folded in. Xattr values are
 * raw bytes: a PAX record can carry any bytes, and capabilities ({@code security.capability}) are binary.
 */
public record TarHeader(
        String name,
        Type type,
        int mode,
        long uid,
        long gid,
        long size,
        long mtimeSeconds,
        int mtimeNanos,
        long atimeSeconds,
        int atimeNanos,
        String linkName,
        byte[] linkNameBytes,
        long devMajor,
        long devMinor,
        Map<String, byte[]> xattrs) {

    public enum Type { REGULAR, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO }

    /** The permission bits with setuid, setgid and sticky; the file type comes from {@link #type}. */
    public int permissions() {
        return mode & 07777;
    }
}
