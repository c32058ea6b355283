package dev.berth.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A raw API connection that sends one request and then, like the docker CLI after {@code 101 UPGRADED},
 * carries bytes both ways: what the test writes is the container's stdin, what arrives is collected.
 */
public final class HijackedConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean eof;

    private HijackedConnection(SocketChannel channel) {
        this.channel = channel;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** POSTs {@code pathAndQuery} with {@code Upgrade: tcp} and the given JSON body (may be null). */
    public static HijackedConnection post(Path socket, String pathAndQuery, String json) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + pathAndQuery + " HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        ch.write(ByteBuffer.wrap(body));
        return new HijackedConnection(ch);
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buf.clear()) >= 0) {
                synchronized (received) {
                    received.write(buf.array(), 0, buf.position());
                }
            }
        } catch (IOException ignored) {
            // Closed by the test.
        }
        eof = true;
    }

    public void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }

    /** Everything received so far, headers included, as text. */
    public String text() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the received text contains {@code s}; false after {@code timeout}. */
    public boolean await(String s, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (text().contains(s)) {
                return true;
            }
            Thread.sleep(20);
        }
        return text().contains(s);
    }

    /** Waits until the daemon closes the connection; false after {@code timeout}. */
    public boolean awaitEof(Duration timeout) throws InterruptedException {
        return reader.join(timeout) && eof;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
