package dev.berth.engine.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A UDP echo server inside a container's network namespace ({@code /run/netns/NAME}): busybox has no
 * UDP server applet, so the test's own thread enters the namespace (setns affects only the calling
 * thread) and binds there. Each datagram is answered with {@code "<port>:<payload>"}.
 */
public final class UdpEchoInNetns implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance("c"));
        }

        static native int open(byte[] path, int flags) throws LastErrorException;

        static native int setns(int fd, int nstype) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    private final DatagramSocket socket;
    private final Thread thread;

    private UdpEchoInNetns(DatagramSocket socket, Thread thread) {
        this.socket = socket;
        this.thread = thread;
    }

    public static UdpEchoInNetns start(String netns, int port) throws Exception {
        CompletableFuture<DatagramSocket> bound = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name("udp-echo-" + port).start(() -> {
            DatagramSocket s;
            try {
                int fd = C.open(("/run/netns/" + netns + "\0").getBytes(StandardCharsets.UTF_8), O_RDONLY);
                try {
                    C.setns(fd, CLONE_NEWNET);
                } finally {
                    C.close(fd);
                }
                s = new DatagramSocket(null);
                s.bind(new InetSocketAddress("0.0.0.0", port));
                bound.complete(s);
            } catch (Throwable e) {
                bound.completeExceptionally(e);
                return;
            }
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    s.receive(in);
                    byte[] reply = (port + ":" + new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                    s.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
        return new UdpEchoInNetns(bound.get(10, TimeUnit.SECONDS), t);
    }

    /** Sends {@code payload} to 127.0.0.1:{@code hostPort} until an answer comes, within a bound; null if none. */
    public static String ask(String hostIp, int hostPort, String payload) throws IOException {
        byte[] out = payload.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket c = new DatagramSocket()) {
            c.setSoTimeout(500);
            for (int i = 0; i < 20; i++) {
                c.send(new DatagramPacket(out, out.length, new InetSocketAddress(hostIp, hostPort)));
                DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
                try {
                    c.receive(in);
                    return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                } catch (java.net.SocketTimeoutException e) {
                    // lost or not yet forwarded: try again
                } catch (java.net.PortUnreachableException e) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
