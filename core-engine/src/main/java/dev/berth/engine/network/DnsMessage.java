package dev.berth.engine.network;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Just enough of RFC 1035 for the embedded DNS: the header and the single question of a query, and
 * an authoritative answer with A records or an empty answer with a response code. Anything else is
 * not parsed here, it is forwarded byte for byte.
 */
final class DnsMessage {
    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    static final int CLASS_IN = 1;
    static final int NOERROR = 0;
    static final int SERVFAIL = 2;
    static final int NXDOMAIN = 3;
    /** Docker's embedded server answers container names with a 600 s TTL. */
    static final int TTL = 600;

    /** The question of a standard query; {@code end} is where the question section ends in the packet. */
    record Question(int id, int flags, String name, int type, int qclass, int end) {
    }

    private DnsMessage() {
    }

    /** Null for anything that is not a well-formed standard query with exactly one question. */
    static Question parse(byte[] p, int len) {
        if (len < 12) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(p, 0, len);
        int id = b.getShort(0) & 0xffff;
        int flags = b.getShort(2) & 0xffff;
        int qd = b.getShort(4) & 0xffff;
        boolean response = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xf;
        if (response || opcode != 0 || qd != 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (true) {
            if (i >= len) {
                return null;
            }
            int l = p[i] & 0xff;
            i++;
            if (l == 0) {
                break;
            }
            if (l > 63 || i + l > len) {
                return null; // compression pointers never appear in a query's only question
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(p, i, l, StandardCharsets.US_ASCII));
            i += l;
        }
        if (i + 4 > len) {
            return null;
        }
        int type = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        int qclass = ((p[i + 2] & 0xff) << 8) | (p[i + 3] & 0xff);
        return new Question(id, flags, name.toString().toLowerCase(Locale.ROOT), type, qclass, i + 4);
    }

    /** An answer to {@code q}: the question echoed, then one A record per address (none for an error or another type). */
    static byte[] answer(byte[] query, Question q, int rcode, List<Integer> addresses) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(q.end() + 16 * addresses.size());
        short16(out, q.id());
        // QR, the query's opcode and RD, AA (this server owns these names), RA (it also recurses).
        int flags = 0x8000 | (q.flags() & 0x7900) | 0x0400 | 0x0080 | (rcode & 0xf);
        short16(out, flags);
        short16(out, 1);
        short16(out, addresses.size());
        short16(out, 0);
        short16(out, 0);
        out.write(query, 12, q.end() - 12);
        for (int a : addresses) {
            short16(out, 0xc00c); // a pointer to the question's name
            short16(out, TYPE_A);
            short16(out, CLASS_IN);
            short16(out, TTL >>> 16);
            short16(out, TTL & 0xffff);
            short16(out, 4);
            short16(out, a >>> 16);
            short16(out, a & 0xffff);
        }
        return out.toByteArray();
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }
}
