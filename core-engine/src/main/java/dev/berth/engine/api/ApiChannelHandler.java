package dev.berth.engine.api;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Netty's HTTP objects into one blocking {@link ApiRequest}/{@link ApiResponse} per request. */
final class ApiChannelHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ApiChannelHandler.class.getName());
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

    private final Router router;
    private final ExecutorService workers;
    private final String serverHeader;
    private volatile BodyStream body;
    /**
     * The client's stdin after a hijack, apart from {@link #body}: the request's own end (its
     * LastHttpContent) may reach the event loop after the worker has hijacked, and fed into this it
     * would end the attached process's stdin before the client typed anything.
     */
    private volatile BodyStream hijacked;

    ApiChannelHandler(Router router, ExecutorService workers, String serverHeader) {
        this.router = router;
        this.workers = workers;
        this.serverHeader = serverHeader;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            BodyStream requestBody = new BodyStream(ctx.channel());
            body = requestBody;
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            boolean upgrade = req.headers().contains(HttpHeaderNames.UPGRADE, "tcp", true);
            NettyResponse response = new NettyResponse(ctx.channel(), keepAlive, req.method() == HttpMethod.HEAD, upgrade);
            if (req.decoderResult().isFailure()) {
                workers.execute(() -> fail(response, BerthException.invalid("malformed HTTP request")));
            } else {
                workers.execute(() -> serve(req, requestBody, response));
            }
        }
        if (msg instanceof ByteBuf raw) {
            // Only after a hijack: the HTTP codec is gone and this is the client's stdin.
            BodyStream target = hijacked;
            if (target != null) {
                target.offer(raw, false);
            } else {
                raw.release();
            }
        }
        if (msg instanceof HttpContent content) {
            BodyStream target = body;
            if (target != null) {
                target.offer(content.content(), content instanceof LastHttpContent);
            } else {
                content.release();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.fail(new ClientClosedException());
        }
        if (hijacked != null) {
            hijacked.fail(new ClientClosedException());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && hijacked != null) {
            // A hijacked client half-closed: stdin ended, output may still flow.
            hijacked.offer(Unpooled.EMPTY_BUFFER, true);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "connection error", cause);
        ctx.close();
    }

    private void serve(HttpRequest req, BodyStream requestBody, NettyResponse response) {
        long timed = dev.berth.engine.runtime.PhaseTimer.start();
        try {
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            String path = qs.path();
            ApiVersion version = ApiVersion.CURRENT;
            Matcher m = VERSIONED.matcher(path);
            if (m.matches()) {
                version = ApiVersion.parse(m.group(1));
                path = m.group(2);
                checkVersion(version);
            }
            Map<String, String> headers = new HashMap<>();
            for (Map.Entry<String, String> h : req.headers()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
            }
            ApiRequest request = new ApiRequest(req.method().name(), path, version, qs.parameters(), headers, requestBody);
            router.resolve(request).handle(request, response);
            if (!response.finished()) {
                throw new IllegalStateException("route for " + req.method() + " " + path + " gave no response");
            }
        } catch (Throwable t) {
            fail(response, t);
        } finally {
            requestBody.discard();
            dev.berth.engine.runtime.PhaseTimer.end(timed, "api", req.method() + " " + req.uri());
        }
    }

    private static void checkVersion(ApiVersion v) {
        if (v.compareTo(ApiVersion.CURRENT) > 0) {
            throw BerthException.invalid("client version " + v + " is too new. Maximum supported API version is "
                    + ApiVersion.CURRENT);
        }
        if (v.compareTo(ApiVersion.MINIMUM) < 0) {
            throw BerthException.invalid("client version " + v + " is too old. Minimum supported API version is "
                    + ApiVersion.MINIMUM + ", please upgrade your client to a newer version");
        }
    }

    private static void fail(NettyResponse response, Throwable t) {
        ErrorCategory category = BerthException.categoryOf(t);
        if (ClientClosedException.in(t)) {
            LOG.log(System.Logger.Level.INFO, "request ended: the client closed the connection");
        } else if (category == ErrorCategory.SYSTEM) {
            LOG.log(System.Logger.Level.ERROR, "request failed", t);
        } else if (category == ErrorCategory.NO_SPACE) {
            // The machine's state, not a bug: no stack trace.
            LOG.log(System.Logger.Level.WARNING, "request failed: " + t.getMessage());
        }
        try {
            if (!response.committed()) {
                response.json(ErrorStatus.of(category), Map.of("message", ErrorStatus.message(t)));
            } else {
                response.abort();
            }
        } catch (IOException e) {
            response.abort();
        }
    }

    /** Writes from a worker thread; Netty queues the writes onto the event loop in order. */
    private final class NettyResponse implements ApiResponse {
        private final Channel channel;
        private final boolean keepAlive;
        private final boolean head;
        private final boolean upgrade;
        private final Map<String, String> extraHeaders = new HashMap<>();
        private volatile boolean committed;
        private volatile boolean finished;

        NettyResponse(Channel channel, boolean keepAlive, boolean head, boolean upgrade) {
            this.upgrade = upgrade;
            this.channel = channel;
            this.keepAlive = keepAlive;
            this.head = head;
        }

        private void decorate(HttpResponse r) {
            HttpHeaders h = r.headers();
            h.set("Api-Version", ApiVersion.CURRENT.toString());
            h.set("Ostype", "linux");
            h.set("Server", serverHeader);
            h.set("Docker-Experimental", "false");
            extraHeaders.forEach(h::set);
            HttpUtil.setKeepAlive(r, keepAlive);
        }

        @Override
        public void header(String name, String value) {
            extraHeaders.put(name, value);
        }

        private void begin() {
            if (committed) {
                throw new IllegalStateException("response already started");
            }
            committed = true;
        }

        @Override
        public void json(int status, Object value) throws IOException {
            byte[] bytes = value == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(value);
            full(status, "application/json", bytes);
        }

        @Override
        public void empty(int status) {
            full(status, null, new byte[0]);
        }

        @Override
        public void text(int status, String contentType, String text) {
            full(status, contentType, text.getBytes(StandardCharsets.UTF_8));
        }

        private void full(int status, String contentType, byte[] bytes) {
            begin();
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
            decorate(r);
            if (contentType != null) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            }
            HttpUtil.setContentLength(r, bytes.length);
            finish(channel.writeAndFlush(r));
        }

        private void finish(ChannelFuture last) {
            finished = true;
            if (!keepAlive) {
                last.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public OutputStream stream(int status, String contentType) {
            begin();
            DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
            decorate(r);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            channel.writeAndFlush(r);
            return new OutputStream() {
                private boolean closed;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (!channel.isActive()) {
                        throw new ClientClosedException();
                    }
                    if (len == 0) {
                        return;
                    }
                    ChannelFuture f = channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(b, off, len)));
                    if (!channel.isWritable()) {
                        // Backpressure: a slow reader (docker save to a pipe) must not make us buffer the image.
                        f.awaitUninterruptibly();
                    }
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
                    }
                }
            };
        }

        /**
         * moby's hijack: the status line and headers go out as raw bytes, after the HTTP codec has left
         * the pipeline, so nothing frames what follows. 200 without an Upgrade request, like moby.
         */
        @Override
        public HijackedStream hijack(String contentType) {
            begin();
            finished = true;
            BodyStream in = new BodyStream(channel);
            hijacked = in;
            channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            if (channel.pipeline().get("http") != null) {
                channel.pipeline().remove("http");
            }
            StringBuilder h = new StringBuilder(upgrade ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n");
            h.append("Content-Type: ").append(contentType).append("\r\n");
            if (upgrade) {
                h.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
            }
            h.append("Api-Version: ").append(ApiVersion.CURRENT).append("\r\n");
            h.append("Server: ").append(serverHeader).append("\r\n\r\n");
            channel.writeAndFlush(Unpooled.copiedBuffer(h, StandardCharsets.US_ASCII));
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (!channel.isActive()) {
                        throw new ClientClosedException();
                    }
                    if (len == 0) {
                        return;
                    }
                    ChannelFuture f = channel.writeAndFlush(Unpooled.copiedBuffer(b, off, len));
                    if (!channel.isWritable()) {
                        f.awaitUninterruptibly();
                    }
                }
            };
            return new HijackedStream() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public OutputStream out() {
                    return out;
                }

                @Override
                public boolean isOpen() {
                    return !PeerProbe.peerGone(channel);
                }

                @Override
                public void close() {
                    in.discard();
                    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
            };
        }

        @Override
        public boolean committed() {
            return committed;
        }

        boolean finished() {
            return finished;
        }

        /** A streamed response broke halfway: the only honest signal left is closing the connection. */
        void abort() {
            finished = true;
            channel.close();
        }
    }
}
