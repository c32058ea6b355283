package dev.berth.engine.network;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The embedded DNS's answers for its own names, built from real query packets; the subnet arithmetic behind the pool. */
class NetworkDnsTest {
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id >> 8);
        out.write(id & 0xff);
        out.write(0x01); // RD
        out.write(0x00);
        out.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        out.writeBytes(new byte[] {0, (byte) type, 0, 1});
        return out.toByteArray();
    }

    static int rcode(byte[] answer) {
        return answer[3] & 0xf;
    }

    static int answers(byte[] answer) {
        return ByteBuffer.wrap(answer).getShort(6);
    }

    @Test
    void answersContainerNamesAliasesAndNetworkQualifiedNamesCaseInsensitively() {
        NetworkDns dns = new NetworkDns("networks-dns");
        dns.register("c1", List.of("networks-srv", "abcdef012345", "DB"), "10.64.2.50");
        for (String name : List.of("networks-srv", "db", "Db.networks-dns", "abcdef012345")) {
            byte[] q = query(0x1234, name, DnsMessage.TYPE_A);
            byte[] a = dns.answer(q);
            assertEquals(0x12, a[0] & 0xff, name);
            assertEquals(0x34, a[1] & 0xff, name);
            assertEquals(0x80, a[2] & 0x80, "a response: " + name);
            assertEquals(DnsMessage.NOERROR, rcode(a), name);
            assertEquals(1, answers(a), name);
            assertEquals("10.64.2.50", Cidr.format(ByteBuffer.wrap(a, a.length - 4, 4).getInt()), name);
        }
        byte[] aaaa = dns.answer(query(7, "networks-srv", DnsMessage.TYPE_AAAA));
        assertEquals(DnsMessage.NOERROR, rcode(aaaa));
        assertEquals(0, answers(aaaa), "no IPv6 address, but the name exists");

        assertEquals(DnsMessage.NXDOMAIN, rcode(dns.answer(query(8, "nobody", DnsMessage.TYPE_A))));
        dns.unregister("c1");
        assertEquals(DnsMessage.NXDOMAIN, rcode(dns.answer(query(9, "networks-srv", DnsMessage.TYPE_A))));
        assertNull(dns.answer(new byte[] {1, 2, 3}), "garbage is dropped");
    }

    @Test
    void otherNamesAreForwardedUpstreamAndAnUnreachableUpstreamIsServfail() throws Exception {
        try (java.net.DatagramSocket upstream = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Thread fake = Thread.ofVirtual().start(() -> {
                try {
                    byte[] buf = new byte[512];
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    upstream.receive(p);
                    byte[] reply = java.util.Arrays.copyOf(buf, p.getLength());
                    reply[2] = (byte) 0x81; // QR + RD
                    reply[3] = (byte) 0x83; // RA + NXDOMAIN: recognisably the upstream's answer
                    upstream.send(new java.net.DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException ignored) {
                    // the test fails on the missing answer
                }
            });
            NetworkDns dns = new NetworkDns("n", () -> List.of((java.net.InetSocketAddress) upstream.getLocalSocketAddress()));
            byte[] a = dns.answer(query(0x4242, "www.example.test", DnsMessage.TYPE_A));
            fake.join(5000);
            assertEquals(0x42, a[0] & 0xff);
            assertEquals(0x83, a[3] & 0xff, "the upstream's reply is relayed as is");
        }
        int closedPort;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        NetworkDns dead = new NetworkDns("n", () -> List.of(new java.net.InetSocketAddress("127.0.0.1", closedPort)));
        assertEquals(DnsMessage.SERVFAIL, rcode(dead.answer(query(1, "www.example.test", DnsMessage.TYPE_A))));
    }

    @Test
    void upstreamsAreTheHostsIpv4Nameservers(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("resolv.conf");
        Files.writeString(conf, "# comment\nnameserver 127.0.0.53\nnameserver ::1\nsearch example.test\nnameserver 10.0.0.2\n");
        assertEquals(List.of("127.0.0.53", "10.0.0.2"), NetworkDns.upstreams(conf));
        assertEquals(List.of(), NetworkDns.upstreams(dir.resolve("missing")));
    }

    @Test
    void cidrArithmeticAndThePoolSkipTakenSubnets() {
        Cidr c = Cidr.parse("10.64.1.7/24");
        assertEquals("10.64.1.0/24", c.toString());
        assertEquals("10.64.1.1", Cidr.format(c.host(1)));
        assertEquals("10.64.1.255", Cidr.format(c.broadcast()));
        assertEquals(true, Cidr.parse("10.64.0.0/16").overlaps(c));
        assertEquals(false, Cidr.parse("10.65.0.0/16").overlaps(c));
        assertEquals("172.19.0.0/16", SubnetPool.pick(List.of(Cidr.parse("172.17.0.0/16"), Cidr.parse("172.18.5.0/24"))).toString());
        assertEquals("192.168.0.0/20", SubnetPool.pick(List.of(Cidr.parse("172.16.0.0/12"))).toString());
        BerthException bad = assertThrows(BerthException.class, () -> Cidr.parse("10.64.300.0/24"));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, bad.category());
        assertThrows(BerthException.class, () -> Cidr.parse("10.64.0.0"));
    }
}
