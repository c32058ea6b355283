package dev.berth.engine.api;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Go's {@code http.Server.IdleTimeout}: closes a keep-alive connection that has waited this long for
 * its next request. Only between requests: a response being streamed (logs -f, /events, /wait) or a
 * hijacked attach never counts as idle, however long it is silent. dockerd sets no idle timeout, and
 * neither does Berth unless {@code berth.api.idleTimeout} asks for one (see {@link ApiServer}).
 * Everything here runs on the channel's event loop.
 */
final class IdleConnectionCloser extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private int inFlight;
    private ScheduledFuture<?> timer;

    IdleConnectionCloser(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            // The end of a response (a full one is its own last content): once written, idle if nothing else runs.
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (inFlight > 0) {
                    inFlight--;
                }
                if (inFlight == 0) {
                    arm(ctx);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        if (ctx.channel().isActive()) {
            timer = ctx.executor().schedule(() -> {
                if (inFlight == 0) {
                    ctx.close();
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
