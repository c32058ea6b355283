package dev.berth.images.layer;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * A gunzip stream backed by Intel ISA-L's {@code isal_inflate}, which inflates several times faster than
 * java.util.zip on x86-64 (see the figures in the package notes). It behaves like {@link GZIPInputStream}
 * where a layer blob can tell the difference: concatenated members are read as one stream, each member's
 * CRC-32 and size are checked by ISA-L itself, bytes after the last member that do not start another
 * member are left unread, and a stream that ends early throws {@link EOFException}; corrupt data throws
 * {@link ZipException}.
 *
 * <p>ISA-L ships no Java binding and its state struct is not opaque: the caller allocates it and sets
 * fields by offset. The offsets below are those of libisal2 2.30 (Debian 12's) and are checked at load
 * time by inflating a known two-member stream and a corrupt one; if that self-test fails, or the library
 * is absent, {@link #open} falls back to GZIPInputStream. The state block is allocated with room to
 * spare so a newer, larger struct cannot make ISA-L write past it.
 */
public final class IsalInflaterInputStream extends InputStream {
    private static final System.Logger LOG = System.getLogger(IsalInflaterInputStream.class.getName());

    // struct inflate_state, libisal 2.30 (include/isa-l/igzip_lib.h), x86-64 / aarch64 LP64.
    private static final long NEXT_OUT = 0;
    private static final long AVAIL_OUT = 8;
    private static final long NEXT_IN = 16;
    private static final long AVAIL_IN = 32;
    private static final long BLOCK_STATE = 21160;
    private static final long CRC_FLAG = 21172;
    private static final int STATE_SIZE = 87368;

    private static final int ISAL_GZIP = 1;
    private static final int ISAL_BLOCK_FINISH = 5;

    private static final int IN_SIZE = 256 * 1024;
    private static final int OUT_SIZE = 512 * 1024;

    private static final String UNAVAILABLE_REASON = probe();

    private final InputStream source;
    private final Memory state = new Memory(2L * STATE_SIZE);
    private final Memory in = new Memory(IN_SIZE);
    private final Memory out = new Memory(OUT_SIZE);
    private final byte[] transfer = new byte[IN_SIZE];
    private int outPos;
    private int outLimit;
    private boolean sourceEof;
    private boolean memberDone;
    private boolean eof;
    private boolean closed;

    /** The direct-mapped library; only touched after {@link #probe} loaded it. */
    private static final class Lib {
        static native void isal_inflate_init(Pointer state);

        static native void isal_inflate_reset(Pointer state);

        static native int isal_inflate(Pointer state);
    }

    private IsalInflaterInputStream(InputStream source) {
        this.source = source;
        state.clear();
        Lib.isal_inflate_init(state);
        state.setInt(CRC_FLAG, ISAL_GZIP);
        setInput(0);
    }

    /** True when ISA-L was found and passed the self-test. */
    public static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why ISA-L is not used, or {@code null} when it is. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /** A gunzip stream over {@code gzip}: ISA-L when available, else GZIPInputStream. */
    public static InputStream open(InputStream gzip) throws IOException {
        return isAvailable() ? new IsalInflaterInputStream(gzip) : new GZIPInputStream(gzip, IN_SIZE);
    }

    /** Always ISA-L; fails when it is unavailable. For tests and benchmarks that must not fall back. */
    static IsalInflaterInputStream openIsal(InputStream gzip) {
        if (!isAvailable()) {
            throw new IllegalStateException("ISA-L unavailable: " + UNAVAILABLE_REASON);
        }
        return new IsalInflaterInputStream(gzip);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (outPos == outLimit) {
            if (eof) {
                return -1;
            }
            step();
        }
        int n = Math.min(len, outLimit - outPos);
        out.read(outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** One unit of progress: start the next member, or inflate into the output buffer. */
    private void step() throws IOException {
        if (memberDone) {
            startNextMemberOrEnd();
            return;
        }
        if (availIn() == 0 && !sourceEof) {
            refill();
        }
        int inBefore = availIn();
        state.setPointer(NEXT_OUT, out);
        state.setInt(AVAIL_OUT, OUT_SIZE);
        int ret = Lib.isal_inflate(state);
        if (ret < 0) {
            throw new ZipException("corrupt gzip data: " + describe(ret));
        }
        outPos = 0;
        outLimit = OUT_SIZE - state.getInt(AVAIL_OUT);
        if (state.getInt(BLOCK_STATE) == ISAL_BLOCK_FINISH) {
            memberDone = true;
        } else if (outLimit == 0 && availIn() == inBefore) {
            // Nothing consumed, nothing produced: ISA-L needs more input than it has.
            if (sourceEof) {
                throw new EOFException("gzip stream ends before the end of its last member");
            }
            if (inBefore == IN_SIZE) {
                throw new ZipException("gzip inflate made no progress");
            }
            refill();
        }
    }

    /**
     * After a member's trailer: another member follows only if the next bytes are the gzip magic;
     * anything else is trailing data that GZIPInputStream would ignore too.
     */
    private void startNextMemberOrEnd() throws IOException {
        while (availIn() < 2 && !sourceEof) {
            refill();
        }
        int avail = availIn();
        if (avail < 2) {
            eof = true;
            return;
        }
        long at = Pointer.nativeValue(state.getPointer(NEXT_IN)) - Pointer.nativeValue(in);
        if ((in.getByte(at) & 0xff) != 0x1f || (in.getByte(at + 1) & 0xff) != 0x8b) {
            eof = true;
            return;
        }
        Lib.isal_inflate_reset(state);
        memberDone = false;
    }

    private int availIn() {
        return state.getInt(AVAIL_IN);
    }

    /** Moves unconsumed input to the front of the buffer and appends what the source has. */
    private void refill() throws IOException {
        int remaining = availIn();
        if (remaining > 0) {
            long at = Pointer.nativeValue(state.getPointer(NEXT_IN)) - Pointer.nativeValue(in);
            if (at != 0) {
                byte[] keep = in.getByteArray(at, remaining);
                in.write(0, keep, 0, remaining);
            }
        }
        int n = source.read(transfer, 0, IN_SIZE - remaining);
        if (n < 0) {
            sourceEof = true;
            n = 0;
        } else {
            in.write(remaining, transfer, 0, n);
        }
        setInput(remaining + n);
    }

    private void setInput(int avail) {
        state.setPointer(NEXT_IN, in);
        state.setInt(AVAIL_IN, avail);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            state.close();
            in.close();
            out.close();
            source.close();
        }
    }

    private static String describe(int ret) {
        return switch (ret) {
            case -1 -> "invalid deflate block";
            case -2 -> "invalid deflate symbol";
            case -3 -> "invalid back-reference distance";
            case -4 -> "not in gzip format";
            case -5 -> "unsupported compression method";
            case -6 -> "CRC or size mismatch in gzip trailer";
            default -> "isal_inflate error " + ret;
        };
    }

    /** Loads the library and proves the struct offsets right; returns why it can't be used, or null. */
    private static String probe() {
        if ("false".equalsIgnoreCase(System.getProperty("berth.isal"))) {
            return "disabled by -Dberth.isal=false";
        }
        try {
            Native.register(Lib.class, NativeLibrary.getInstance("libisal.so.2"));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "libisal.so.2 not loadable: " + e.getMessage();
        }
        try {
            byte[] plain = new byte[700_000];
            Random random = new Random(42);
            for (int i = 0; i < plain.length; i++) {
                plain[i] = (byte) ('a' + random.nextInt(random.nextBoolean() ? 3 : 26));
            }
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            for (int[] part : new int[][] {{0, 123_457}, {123_457, plain.length - 123_457}}) {
                // Closing a GZIPOutputStream closes gz, which for a ByteArrayOutputStream does nothing.
                try (GZIPOutputStream member = new GZIPOutputStream(gz)) {
                    member.write(plain, part[0], part[1]);
                }
            }
            byte[] blob = gz.toByteArray();
            byte[] got;
            try (InputStream s = new IsalInflaterInputStream(new ByteArrayInputStream(blob))) {
                got = s.readAllBytes();
            }
            if (!Arrays.equals(plain, got)) {
                return "self-test: inflated bytes differ (struct layout of this libisal is not the expected one)";
            }
            blob[blob.length - 5] ^= 1; // inside the last member's ISIZE
            try (InputStream s = new IsalInflaterInputStream(new ByteArrayInputStream(blob))) {
                s.readAllBytes();
                return "self-test: a corrupt gzip trailer was not detected";
            } catch (ZipException expected) {
                return null;
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "ISA-L self-test failed", e);
            return "self-test failed: " + e;
        }
    }
}
