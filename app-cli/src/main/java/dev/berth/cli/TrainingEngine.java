package dev.berth.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in engine for {@link CdsTraining}: a Unix socket answering {@code /_ping}, the container
 * and image lists and {@code /version} with fixed answers, so that the training goes down the same
 * success path a real {@code berth ps} does (HTTP exchange, JSON, table), not only the refused one.
 * HTTP/1.1 with keep-alive, GET only; anything else is a 404 in the engine's error shape.
 */
final class TrainingEngine implements AutoCloseable {
    private static final String CONTAINERS = "[{\"Id\":\"8169c8ddeba27bc4b750fbe09802104239c970f43153f1c1c0ce1de775fcbf05\","
            + "\"Names\":[\"/training\"],\"Image\":\"busybox:latest\",\"ImageID\":\"sha256:" + "9".repeat(64) + "\","
            + "\"Command\":\"sleep 3600\",\"Created\":1700000000,\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,"
            + "\"PublicPort\":8080,\"Type\":\"tcp\"}],\"Labels\":{\"a\":\"b\"},\"State\":\"running\",\"Status\":\"Up 4 minutes\","
            + "\"HostConfig\":{\"NetworkMode\":\"bridge\"},\"NetworkSettings\":{\"Networks\":{\"bridge\":{\"IPAMConfig\":null,"
            + "\"Links\":null,\"Aliases\":null,\"MacAddress\":\"\",\"NetworkID\":\"" + "3".repeat(64) + "\",\"EndpointID\":\"\","
            + "\"Gateway\":\"\",\"IPAddress\":\"10.0.0.2\",\"IPPrefixLen\":24,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\","
            + "\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}},\"Mounts\":[{\"Type\":\"volume\",\"Name\":\"v\","
            + "\"Source\":\"/x\",\"Destination\":\"/data\",\"Driver\":\"local\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}]},"
            + "{\"Id\":\"55ab47b71bc2cdc6c6ef9d5fd6bf7fd68352214f72ea84b06a2e2d9ccf63c5fa\",\"Names\":[\"/done\"],"
            + "\"Image\":\"busybox\",\"ImageID\":\"sha256:" + "9".repeat(64) + "\",\"Command\":\"true\",\"Created\":1700000000,"
            + "\"Ports\":[],\"Labels\":{},\"State\":\"exited\",\"Status\":\"Exited (0) 2 hours ago\","
            + "\"HostConfig\":{\"NetworkMode\":\"none\"},\"NetworkSettings\":{\"Networks\":{}},\"Mounts\":[]}]";
    private static final String IMAGES = "[{\"Containers\":-1,\"Created\":1700000000,\"Id\":\"sha256:" + "9".repeat(64) + "\","
            + "\"Labels\":null,\"ParentId\":\"\",\"RepoDigests\":[\"busybox@sha256:" + "a".repeat(64) + "\"],"
            + "\"RepoTags\":[\"busybox:latest\",\"busybox:1\"],\"SharedSize\":-1,\"Size\":4261234}]";
    private static final String VERSION = "{\"Platform\":{\"Name\":\"Berth\"},\"Components\":[],\"Version\":\"28.0.0\","
            + "\"ApiVersion\":\"1.44\",\"MinAPIVersion\":\"1.24\",\"GitCommit\":\"x\",\"GoVersion\":\"\",\"Os\":\"linux\","
            + "\"Arch\":\"amd64\",\"KernelVersion\":\"6\",\"BuildTime\":\"2024-01-01T00:00:00.000000000+00:00\"}";

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;

    private TrainingEngine(Path dir) throws IOException {
        this.dir = dir;
        this.socket = dir.resolve("engine.sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("training-engine").start(this::serve);
    }

    static TrainingEngine start() throws IOException {
        return new TrainingEngine(Files.createTempDirectory("berth-training"));
    }

    String host() {
        return "unix://" + socket;
    }

    private void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofPlatform().daemon().name("training-connection").start(() -> answer(channel));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answer(SocketChannel channel) {
        try (channel; InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
             OutputStream out = Channels.newOutputStream(channel)) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String target = head.split(" ", 3)[1];
                String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
                int status = 200;
                String body;
                if (path.equals("/_ping")) {
                    body = "OK";
                } else if (path.endsWith("/containers/json")) {
                    body = CONTAINERS;
                } else if (path.endsWith("/images/json")) {
                    body = IMAGES;
                } else if (path.endsWith("/version")) {
                    body = VERSION;
                } else {
                    status = 404;
                    body = "{\"message\":\"No such object: training\"}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                String response = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nApi-Version: 1.44\r\n"
                        + "Server: Berth/training\r\nContent-Type: " + (path.equals("/_ping") ? "text/plain" : "application/json")
                        + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client hung up
        }
    }

    /** The request line and headers, or null at end of stream; a GET has no body to skip. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }
}
