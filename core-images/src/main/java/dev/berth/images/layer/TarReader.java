package dev.berth.images.layer;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming reader of ustar, GNU and PAX tar archives, as image layers are written by Go's archive/tar,
 * BuildKit, Buildah and GNU tar.
 *
 * <p>It is ours rather than commons-compress's because commons-compress decodes PAX values as UTF-8
 * strings, which corrupts binary xattrs such as {@code security.capability}; and because reading
 * straight from one large buffer lets file content go to disk without another copy.
 *
 * <p>Format errors are {@link BerthException}s with {@link ErrorCategory#INVALID_ARGUMENT}; an
 * {@link IOException} only ever comes from the underlying stream.
 */
public final class TarReader {
    static final int BLOCK = 512;
    private static final int MAX_META_SIZE = 16 << 20;

    private final InputStream source;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean sourceEof;
    private long consumed;
    private long contentRemaining;
    private int paddingRemaining;
    private boolean ended;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    public TarReader(InputStream source, int bufferSize) {
        this.source = source;
        this.buf = new byte[Math.max(bufferSize, 2 * BLOCK)];
    }

    /**
     * The next entry, or {@code null} at the end-of-archive marker or at a clean end of input between
     * entries (Go's reader accepts that too). Unread content of the previous entry is skipped.
     */
    public TarHeader next() throws IOException {
        if (ended) {
            return null;
        }
        skipContent();
        if (ended) {
            return null;
        }
        Map<String, byte[]> pax = null;
        String longName = null;
        byte[] longLink = null;
        while (true) {
            if (!ensure(BLOCK)) {
                if (limit - pos == 0) {
                    ended = true;
                    return null;
                }
                throw invalid("the archive ends inside a header");
            }
            int h = pos;
            if (isZeroBlock(h)) {
                consume(BLOCK);
                ended = true;
                return null;
            }
            verifyChecksum(h);
            byte type = buf[h + 156];
            long size = parseNumber(h + 124, 12, "size");
            if (size < 0) {
                throw invalid("negative entry size at offset " + consumed);
            }
            switch (type) {
                case 'x' -> {
                    consume(BLOCK);
                    Map<String, byte[]> records = parsePax(readMeta(size, "PAX header"));
                    if (pax == null) {
                        pax = records;
                    } else {
                        pax.putAll(records);
                    }
                }
                case 'g' -> {
                    // Go's reader, and so Docker and containerd, apply nothing from global headers; a
                    // global "path" would otherwise rename every later entry.
                    consume(BLOCK);
                    parsePax(readMeta(size, "PAX global header"));
                }
                case 'L' -> {
                    consume(BLOCK);
                    longName = decode(trimNul(readMeta(size, "GNU long name")), "GNU long name");
                }
                case 'K' -> {
                    consume(BLOCK);
                    longLink = trimNul(readMeta(size, "GNU long link name"));
                }
                default -> {
                    TarHeader header = buildHeader(h, type, size, pax, longName, longLink);
                    consume(BLOCK);
                    contentRemaining = header.size();
                    paddingRemaining = padding(header.size());
                    if (header.type() != TarHeader.Type.REGULAR) {
                        skipContent();
                    }
                    return header;
                }
            }
        }
    }

    /** Content bytes of the current entry not yet read. */
    long contentRemaining() {
        return contentRemaining;
    }

    /**
     * The next run of the current entry's content, straight from the read buffer and valid until the
     * next call; {@code null} once all of it has been read.
     */
    public ByteBuffer contentChunk() throws IOException {
        if (contentRemaining == 0) {
            return null;
        }
        if (pos == limit && !fill()) {
            throw invalid("the archive ends inside the content of an entry (" + contentRemaining + " bytes missing)");
        }
        int n = (int) Math.min(contentRemaining, limit - pos);
        ByteBuffer chunk = ByteBuffer.wrap(buf, pos, n);
        consume(n);
        contentRemaining -= n;
        return chunk;
    }

    /** Reads the rest of the input, so that whatever hashes or counts it below us has seen every byte. */
    void drain() throws IOException {
        pos = limit;
        byte[] scratch = buf;
        while (source.read(scratch, 0, scratch.length) >= 0) {
            // only the side effects of reading matter
        }
        sourceEof = true;
    }

    private void skipContent() throws IOException {
        long skip = contentRemaining;
        long pad = paddingRemaining;
        contentRemaining = 0;
        paddingRemaining = 0;
        while (skip > 0) {
            if (pos == limit && !fill()) {
                throw invalid("the archive ends inside the content of an entry");
            }
            int n = (int) Math.min(skip, limit - pos);
            consume(n);
            skip -= n;
        }
        while (pad > 0) {
            if (pos == limit && !fill()) {
                // Go's reader (tryReadFull of the padding) takes an end of input here as the end of the
                // archive: the docker CLI sends such a context when -f names a Dockerfile outside it.
                ended = true;
                return;
            }
            int n = (int) Math.min(pad, limit - pos);
            consume(n);
            pad -= n;
        }
    }

    private TarHeader buildHeader(int h, byte type, long size, Map<String, byte[]> pax, String longName, byte[] longLink) {
        Map<String, byte[]> records = pax == null ? Map.of() : pax;
        boolean posix = buf[h + 257] == 'u' && buf[h + 258] == 's' && buf[h + 259] == 't' && buf[h + 260] == 'a'
                && buf[h + 261] == 'r' && buf[h + 262] == 0;

        String name;
        byte[] paxPath = records.get("path");
        if (paxPath != null && paxPath.length > 0) {
            name = decode(paxPath, "PAX path");
        } else if (longName != null) {
            name = longName;
        } else {
            name = decode(field(h, 100), "name");
            if (posix && buf[h + 345] != 0) {
                name = decode(field(h + 345, 155), "name prefix") + "/" + name;
            }
        }
        byte[] linkBytes = records.get("linkpath");
        if (linkBytes == null || linkBytes.length == 0) {
            linkBytes = longLink != null ? longLink : field(h + 157, 100);
        }

        TarHeader.Type kind = switch (type) {
            case '0', '7' -> TarHeader.Type.REGULAR;
            // Pre-POSIX archives mark directories only by the trailing slash.
            case 0 -> name.endsWith("/") ? TarHeader.Type.DIRECTORY : TarHeader.Type.REGULAR;
            case '1' -> TarHeader.Type.HARDLINK;
            case '2' -> TarHeader.Type.SYMLINK;
            case '3' -> TarHeader.Type.CHAR_DEVICE;
            case '4' -> TarHeader.Type.BLOCK_DEVICE;
            case '5' -> TarHeader.Type.DIRECTORY;
            case '6' -> TarHeader.Type.FIFO;
            case 'S' -> throw unsupported(name, "is a GNU sparse file; sparse files are not supported");
            default -> throw unsupported(name, "has tar entry type '" + printable(type) + "', which a layer cannot contain");
        };
        for (String key : records.keySet()) {
            if (key.startsWith("GNU.sparse.")) {
                throw unsupported(name, "is a PAX sparse file; sparse files are not supported");
            }
        }

        long entrySize = paxNumber(records, "size", size);
        if (entrySize < 0) {
            throw invalid("negative size for entry \"" + name + "\"");
        }
        long uid = paxNumber(records, "uid", parseNumber(h + 108, 8, "uid"));
        long gid = paxNumber(records, "gid", parseNumber(h + 116, 8, "gid"));
        long mtime = parseNumber(h + 136, 12, "mtime");
        int mtimeNanos = 0;
        long[] paxMtime = paxTime(records, "mtime");
        if (paxMtime != null) {
            mtime = paxMtime[0];
            mtimeNanos = (int) paxMtime[1];
        }
        long atime = mtime;
        int atimeNanos = mtimeNanos;
        long[] paxAtime = paxTime(records, "atime");
        if (paxAtime != null) {
            atime = paxAtime[0];
            atimeNanos = (int) paxAtime[1];
        }

        Map<String, byte[]> xattrs = Map.of();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            if (r.getKey().startsWith("SCHILY.xattr.")) {
                if (xattrs.isEmpty()) {
                    xattrs = new LinkedHashMap<>();
                }
                xattrs.put(r.getKey().substring("SCHILY.xattr.".length()), r.getValue());
            }
        }
        // The PAX size overrides the header's, and the content that follows has that length.
        return new TarHeader(name, kind, (int) parseNumber(h + 100, 8, "mode"), uid, gid, entrySize,
                mtime, mtimeNanos, atime, atimeNanos, decode(linkBytes, "link name"), linkBytes,
                parseNumber(h + 329, 8, "devmajor"), parseNumber(h + 337, 8, "devminor"), xattrs);
    }

    private static String printable(byte type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type & 0xff);
    }

    private byte[] readMeta(long size, String what) throws IOException {
        if (size > MAX_META_SIZE) {
            throw invalid(what + " of " + size + " bytes is larger than the " + MAX_META_SIZE + " bytes allowed");
        }
        byte[] data = new byte[(int) size];
        int got = 0;
        while (got < data.length) {
            if (pos == limit && !fill()) {
                throw invalid("the archive ends inside a " + what);
            }
            int n = Math.min(data.length - got, limit - pos);
            System.arraycopy(buf, pos, data, got, n);
            consume(n);
            got += n;
        }
        int pad = padding(size);
        while (pad > 0) {
            if (pos == limit && !fill()) {
                throw invalid("the archive ends inside a " + what);
            }
            int n = Math.min(pad, limit - pos);
            consume(n);
            pad -= n;
        }
        return data;
    }

    private Map<String, byte[]> parsePax(byte[] data) {
        Map<String, byte[]> records = new HashMap<>();
        int i = 0;
        while (i < data.length) {
            if (data[i] == 0) {
                break; // some writers pad the record block with NULs
            }
            int space = i;
            long len = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && len < Integer.MAX_VALUE) {
                len = len * 10 + (data[space] - '0');
                space++;
            }
            if (space == i || space >= data.length || data[space] != ' ' || len <= space - i || i + len > data.length
                    || data[(int) (i + len - 1)] != '\n') {
                throw invalid("malformed PAX record at offset " + i + " of a PAX header");
            }
            int end = (int) (i + len - 1);
            int eq = space + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq == end || eq == space + 1) {
                throw invalid("malformed PAX record (no key=value) at offset " + i + " of a PAX header");
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = new byte[end - eq - 1];
            System.arraycopy(data, eq + 1, value, 0, value.length);
            records.put(key, value);
            i = (int) (i + len);
        }
        return records;
    }

    private long paxNumber(Map<String, byte[]> records, String key, long fallback) {
        byte[] v = records.get(key);
        if (v == null || v.length == 0) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(v, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw invalid("PAX record " + key + " is not a number");
        }
    }

    /** A PAX time such as "1700000000.123456789" or "-1.5" as whole seconds (floor) and nanoseconds. */
    private long[] paxTime(Map<String, byte[]> records, String key) {
        byte[] v = records.get(key);
        if (v == null || v.length == 0) {
            return null;
        }
        String s = new String(v, StandardCharsets.US_ASCII);
        try {
            int dot = s.indexOf('.');
            String whole = dot < 0 ? s : s.substring(0, dot);
            long seconds = whole.isEmpty() || whole.equals("-") ? 0 : Long.parseLong(whole);
            long nanos = 0;
            if (dot >= 0) {
                String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
                nanos = Long.parseLong(frac);
            }
            if (s.startsWith("-") && nanos > 0) {
                seconds -= 1;
                nanos = 1_000_000_000L - nanos;
            }
            return new long[] {seconds, nanos};
        } catch (NumberFormatException e) {
            throw invalid("PAX record " + key + " is not a time");
        }
    }

    private void verifyChecksum(int h) {
        long stored = parseOctal(h + 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : buf[h + i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw invalid("bad header checksum at offset " + consumed + " (not a tar archive, or a corrupt one)");
        }
    }

    /** An octal field, or GNU's base-256 form when the first byte has its high bit set. */
    private long parseNumber(int off, int len, String what) {
        if ((buf[off] & 0x80) == 0) {
            return parseOctal(off, len);
        }
        long v = (byte) (buf[off] << 1) >> 1; // sign-extend the 7 payload bits (0xff prefix = negative)
        for (int i = 1; i < len; i++) {
            if ((v >> 55) != 0 && (v >> 55) != -1) {
                throw invalid("base-256 " + what + " field overflows");
            }
            v = (v << 8) | (buf[off + i] & 0xff);
        }
        return v;
    }

    private long parseOctal(int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && (buf[i] == ' ' || buf[i] == 0)) {
            i++;
        }
        long v = 0;
        while (i < end && buf[i] >= '0' && buf[i] <= '7') {
            v = (v << 3) | (buf[i] - '0');
            i++;
        }
        while (i < end) {
            if (buf[i] != ' ' && buf[i] != 0) {
                throw invalid("invalid octal number in tar header at offset " + consumed);
            }
            i++;
        }
        return v;
    }

    private byte[] field(int off, int len) {
        int end = off;
        while (end < off + len && buf[end] != 0) {
            end++;
        }
        byte[] b = new byte[end - off];
        System.arraycopy(buf, off, b, 0, b.length);
        return b;
    }

    private static byte[] trimNul(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return end == b.length ? b : java.util.Arrays.copyOf(b, end);
    }

    /** Strict UTF-8: a name that is not valid UTF-8 has no faithful Java Path, so it is refused, not mangled. */
    private String decode(byte[] b, String what) {
        boolean ascii = true;
        for (byte x : b) {
            if (x < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(b));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "layer entry " + what + " \""
                    + new String(b, StandardCharsets.UTF_8) + "\" is not valid UTF-8, which is not supported");
        }
    }

    private boolean isZeroBlock(int h) {
        for (int i = h; i < h + BLOCK; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int padding(long size) {
        return (int) ((BLOCK - (size % BLOCK)) % BLOCK);
    }

    private void consume(int n) {
        pos += n;
        consumed += n;
    }

    /** Makes at least {@code n} bytes contiguous at pos; false if the input ends first. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < n && !sourceEof) {
            int r = source.read(buf, limit, buf.length - limit);
            if (r < 0) {
                sourceEof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /** Refills an empty buffer; false at end of input. */
    private boolean fill() throws IOException {
        pos = 0;
        limit = 0;
        while (limit == 0 && !sourceEof) {
            int r = source.read(buf, 0, buf.length);
            if (r < 0) {
                sourceEof = true;
            } else {
                limit = r;
            }
        }
        return limit > 0;
    }

    private static BerthException invalid(String message) {
        return BerthException.invalid("layer is not a valid tar archive: " + message);
    }

    private static BerthException unsupported(String name, String message) {
        return new BerthException(ErrorCategory.INVALID_ARGUMENT, "layer entry \"" + name + "\" " + message);
    }
}
