package dev.berth.engine.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded DNS of one user-defined network, Docker's 127.0.0.11 in a simpler form: a UDP
 * responder on the bridge's gateway address, port 53, in the host's namespace. Containers on the
 * network get it as their only nameserver. It answers A queries for the names of the containers on
 * this network (container name, short id, aliases, also as {@code NAME.NETWORK}), and forwards every
 * other query to the host's resolvers as listed in {@code /etc/resolv.conf}; since it runs on the
 * host, a loopback resolver such as systemd-resolved's 127.0.0.53 works too.
 *
 * <p>The gateway address exists only once the CNI bridge plugin has made the bridge, so the
 * responder is started by the first attachment, not at network creation.
 */
public final class NetworkDns implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NetworkDns.class.getName());
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(3);
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final String network;
    /** Where unknown names go: the host's resolvers, read at each query so a changed resolv.conf applies. */
    private final java.util.function.Supplier<List<InetSocketAddress>> upstreams;
    /** container id → (lower-case names, address); rebuilt from the catalog at daemon start. */
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile DatagramChannel channel;
    private volatile Thread loop;

    private record Entry(List<String> names, int address) {
    }

    public NetworkDns(String network) {
        this(network, () -> upstreams(RESOLV_CONF).stream().map(s -> new InetSocketAddress(s, 53)).toList());
    }

    NetworkDns(String network, java.util.function.Supplier<List<InetSocketAddress>> upstreams) {
        this.network = network.toLowerCase(Locale.ROOT);
        this.upstreams = upstreams;
    }

    public void register(String containerId, List<String> names, String ip) {
        entries.put(containerId, new Entry(names.stream().filter(n -> n != null && !n.isEmpty())
                .map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList(), Cidr.address(ip)));
    }

    public void unregister(String containerId) {
        entries.remove(containerId);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The addresses {@code name} resolves to on this network; empty when it is not one of its containers. */
    List<Integer> lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.endsWith("." + network)) {
            n = n.substring(0, n.length() - network.length() - 1);
        }
        List<Integer> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.names().contains(n)) {
                out.add(e.address());
            }
        }
        return out;
    }

    /** Starts listening on {@code gateway}:53 unless already; a failure is logged, never thrown. */
    public synchronized void ensureStarted(String gateway) {
        if (channel != null && channel.isOpen()) {
            return;
        }
        try {
            DatagramChannel ch = DatagramChannel.open();
            // Shares port 53 with a resolver bound to the wildcard address, if the host runs one.
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(InetAddress.getByName(gateway), 53));
            channel = ch;
            loop = Thread.ofPlatform().daemon().name("berth-dns-" + network).start(() -> serve(ch));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the embedded DNS of network " + network + " cannot listen on " + gateway
                    + ":53; containers on it will not resolve each other's names", e);
        }
    }

    public boolean listening() {
        DatagramChannel ch = channel;
        return ch != null && ch.isOpen();
    }

    private void serve(DatagramChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (ch.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = ch.receive(buf);
                byte[] query = new byte[buf.position()];
                buf.flip();
                buf.get(query);
                Thread.ofVirtual().start(() -> reply(ch, from, query));
            } catch (IOException e) {
                if (ch.isOpen()) {
                    LOG.log(Level.FINE, "embedded DNS of " + network + ": receive failed", e);
                }
            }
        }
    }

    private void reply(DatagramChannel ch, SocketAddress from, byte[] query) {
        try {
            byte[] answer = answer(query);
            if (answer != null) {
                ch.send(ByteBuffer.wrap(answer), from);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "embedded DNS of " + network + ": reply failed", e);
        }
    }

    /** The reply to one query packet, or null to drop it (not a query this server understands). */
    byte[] answer(byte[] query) {
        DnsMessage.Question q = DnsMessage.parse(query, query.length);
        if (q == null) {
            return null;
        }
        if (q.qclass() == DnsMessage.CLASS_IN) {
            List<Integer> local = lookup(q.name());
            if (!local.isEmpty()) {
                // A container has only an IPv4 address here: AAAA and the rest get "no data", not NXDOMAIN.
                return DnsMessage.answer(query, q, DnsMessage.NOERROR,
                        q.type() == DnsMessage.TYPE_A ? local : List.of());
            }
        }
        if (!q.name().contains(".")) {
            // A single label that is no container here is nobody's name: no need to ask upstream.
            return DnsMessage.answer(query, q, DnsMessage.NXDOMAIN, List.of());
        }
        byte[] forwarded = forward(query);
        return forwarded != null ? forwarded : DnsMessage.answer(query, q, DnsMessage.SERVFAIL, List.of());
    }

    private byte[] forward(byte[] query) {
        for (InetSocketAddress server : upstreams.get()) {
            try (java.net.DatagramSocket up = new java.net.DatagramSocket()) {
                up.setSoTimeout((int) FORWARD_TIMEOUT.toMillis());
                up.connect(server);
                up.send(new java.net.DatagramPacket(query, query.length));
                byte[] in = new byte[65535];
                long deadline = System.nanoTime() + FORWARD_TIMEOUT.toNanos();
                while (System.nanoTime() < deadline) {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
                    up.receive(p);
                    // Only the answer to this query (same id); a stray datagram is skipped.
                    if (p.getLength() >= 2 && in[0] == query[0] && in[1] == query[1]) {
                        return java.util.Arrays.copyOf(in, p.getLength());
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.FINE, "forwarding a query to " + server + " failed", e);
            }
        }
        return null;
    }

    /** The host's nameservers (IPv4 only: the responder forwards over IPv4). */
    static List<String> upstreams(Path resolvConf) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver") && f[1].matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                    out.add(f[1]);
                }
            }
        } catch (IOException e) {
            // No resolv.conf: only container names resolve.
        }
        return out;
    }

    @Override
    public synchronized void close() {
        DatagramChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        Thread t = loop;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
