package dev.berth.engine.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the Docker Engine API on a Unix socket with Netty's epoll transport. The event loop only
 * moves bytes; each request runs on its own virtual thread, so routes are plain blocking code.
 */
public final class ApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());

    private final Router router;
    private final String serverHeader;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** Netty 4.2's event loop deregisters its channels at shutdown without closing them: close() does. */
    private final io.netty.channel.group.ChannelGroup connections =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;
    private Path socket;

    /** How long a keep-alive connection may wait for its next request; null for ever (dockerd's default). */
    private final java.time.Duration idleTimeout;

    /** With the idle timeout of the system property {@code berth.api.idleTimeout} ("90s", "500ms", "5m"), none by default. */
    public ApiServer(Router router, String serverHeader) {
        this(router, serverHeader, idleTimeout(System.getProperty("berth.api.idleTimeout", "")));
    }

    public ApiServer(Router router, String serverHeader, java.time.Duration idleTimeout) {
        this.router = router;
        this.serverHeader = serverHeader;
        this.idleTimeout = idleTimeout == null || idleTimeout.isZero() || idleTimeout.isNegative() ? null : idleTimeout;
    }

    static java.time.Duration idleTimeout(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value.strip());
        if (value.isBlank() || !m.matches()) {
            if (!value.isBlank()) {
                LOG.log(System.Logger.Level.WARNING, "ignoring berth.api.idleTimeout=" + value + ": expected e.g. 90s, 500ms or 5m");
            }
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
    }

    /**
     * Binds under a temporary name, restricts it to 0660 (group {@code berth} or {@code docker} when
     * one exists), then renames it into place: no moment exists where the socket is reachable with
     * looser permissions.
     */
    public void start(Path socketPath) throws IOException, InterruptedException {
        this.socket = socketPath;
        Files.createDirectories(socketPath.getParent());
        Path staging = socketPath.resolveSibling("." + socketPath.getFileName() + ".tmp");
        Files.deleteIfExists(staging);
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("http", new HttpServerCodec(8192, 64 * 1024, 64 * 1024));
                        if (idleTimeout != null) {
                            ch.pipeline().addLast("idle", new IdleConnectionCloser(idleTimeout));
                        }
                        ch.pipeline().addLast("api", new ApiChannelHandler(router, workers, serverHeader));
                    }
                })
                .bind(new DomainSocketAddress(staging.toString())).sync().channel();
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-rw----"));
        for (String groupName : new String[] {"berth", "docker"}) {
            try {
                GroupPrincipal g = staging.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(groupName);
                Files.getFileAttributeView(staging, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(g);
                break;
            } catch (UserPrincipalNotFoundException ignored) {
                // Try the next group; with none, only the owner (root) can connect.
            }
        }
        Files.move(staging, socketPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.log(System.Logger.Level.INFO, "API listening on unix://" + socketPath);
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        // A client's idle keep-alive connection would otherwise stay open, unanswered, for as long as
        // this JVM lives (a test daemon's clients then hang on their next request).
        connections.close().awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
        if (socket != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // Stale sockets are replaced on the next start.
            }
        }
    }
}
