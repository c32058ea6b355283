package dev.berth.images.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a POSIX (ustar + PAX) tar stream. Fields that ustar cannot hold (long or non-ASCII names and
 * link targets, large sizes and ids, xattrs) go into a PAX header with raw byte values, so binary
 * xattrs survive. Output is byte-for-byte determined by the entries: no user or group names, no
 * atime or ctime, and the PAX header's own name and mode are fixed.
 */
public final class TarWriter {
    private static final int BLOCK = TarReader.BLOCK;
    private static final long MAX_OCTAL_8 = 07777777L;
    private static final long MAX_OCTAL_12 = 077777777777L;

    private final OutputStream out;
    private final byte[] header = new byte[BLOCK];
    private final byte[] copyBuffer = new byte[256 * 1024];

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Writes one entry; for a regular file, {@code content} must supply exactly {@code size} bytes.
     *
     * @param type the ustar type flag ('0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo)
     */
    public void write(String name, byte type, int mode, long uid, long gid, long size, long mtimeSeconds, String linkName,
               long devMajor, long devMinor, Map<String, byte[]> xattrs, InputStream content) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = linkName == null ? new byte[0] : linkName.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream pax = new ByteArrayOutputStream();
        if (nameBytes.length > 100 || !isAscii(nameBytes)) {
            record(pax, "path", nameBytes);
        }
        if (linkBytes.length > 100 || !isAscii(linkBytes)) {
            record(pax, "linkpath", linkBytes);
        }
        if (size > MAX_OCTAL_12) {
            record(pax, "size", ascii(size));
        }
        if (uid > MAX_OCTAL_8) {
            record(pax, "uid", ascii(uid));
        }
        if (gid > MAX_OCTAL_8) {
            record(pax, "gid", ascii(gid));
        }
        if (mtimeSeconds < 0 || mtimeSeconds > MAX_OCTAL_12) {
            record(pax, "mtime", ascii(mtimeSeconds));
        }
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            record(pax, "SCHILY.xattr." + x.getKey(), x.getValue());
        }
        if (pax.size() > 0) {
            byte[] records = pax.toByteArray();
            writeHeader("PaxHeaders/" + truncate(name, 80), (byte) 'x', 0644, 0, 0, records.length, 0, new byte[0], 0, 0);
            out.write(records);
            pad(records.length);
        }
        writeHeader(name, type, mode, Math.min(uid, MAX_OCTAL_8), Math.min(gid, MAX_OCTAL_8), Math.min(size, MAX_OCTAL_12),
                Math.max(0, Math.min(mtimeSeconds, MAX_OCTAL_12)), linkBytes, devMajor, devMinor);
        if (type == '0') {
            copyExactly(content, size, name);
            pad(size);
        }
    }

    /** The end-of-archive marker: two zero blocks. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void writeHeader(String name, byte type, int mode, long uid, long gid, long size, long mtime, byte[] link,
                             long devMajor, long devMinor) throws IOException {
        Arrays.fill(header, (byte) 0);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, header, 0, Math.min(n.length, 100));
        octal(100, 8, mode & 07777);
        octal(108, 8, uid);
        octal(116, 8, gid);
        octal(124, 12, size);
        octal(136, 12, mtime);
        header[156] = type;
        System.arraycopy(link, 0, header, 157, Math.min(link.length, 100));
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
        header[263] = '0';
        header[264] = '0';
        number(329, devMajor);
        number(337, devMinor);
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(148, 7, sum);
        header[155] = ' ';
        out.write(header);
    }

    /** Octal, zero-padded, NUL-terminated, as Go and GNU tar write it. */
    private void octal(int off, int len, long value) {
        String s = Long.toOctalString(value);
        int digits = len - 1;
        for (int i = 0; i < digits; i++) {
            int from = i - (digits - s.length());
            header[off + i] = (byte) (from < 0 ? '0' : s.charAt(from));
        }
        header[off + digits] = 0;
    }

    /** Device numbers past 7 octal digits use GNU's base-256 form; no PAX key exists for them. */
    private void number(int off, long value) {
        if (value >= 0 && value <= MAX_OCTAL_8) {
            octal(off, 8, value);
            return;
        }
        header[off] = (byte) 0x80;
        for (int i = 7; i >= 1; i--) {
            header[off + i] = (byte) value;
            value >>>= 8;
        }
    }

    private void copyExactly(InputStream content, long size, String name) throws IOException {
        long left = size;
        while (left > 0) {
            int n = content.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
            if (n < 0) {
                throw new IOException("\"" + name + "\" shrank while it was being archived");
            }
            out.write(copyBuffer, 0, n);
            left -= n;
        }
    }

    private void pad(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (padding > 0) {
            out.write(new byte[padding]);
        }
    }

    /** A PAX record, "LEN key=value\n", where LEN counts its own digits too. */
    private static void record(ByteArrayOutputStream pax, String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int rest = 1 + k.length + 1 + value.length + 1;
        int len = rest + 1;
        while (len != rest + String.valueOf(len).length()) {
            len = rest + String.valueOf(len).length();
        }
        pax.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        pax.writeBytes(k);
        pax.write('=');
        pax.writeBytes(value);
        pax.write('\n');
    }

    private static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String name, int max) {
        String base = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        base = base.substring(base.lastIndexOf('/') + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base.length() && sb.length() < max; i++) {
            char c = base.charAt(i);
            sb.append(c < 0x80 && c >= 0x20 ? c : '_');
        }
        return sb.toString();
    }
}
