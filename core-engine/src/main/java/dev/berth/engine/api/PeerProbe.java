package dev.berth.engine.api;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;

/**
 * Whether the client of a hijacked connection is still there. After the client ends its stdin (a
 * half-close, which a hijacked connection allows), Netty sees no more events from it, and a client
 * killed later goes unnoticed until something is written to it, which for a quiet container may be
 * never. On a unix stream socket the kernel tells the two apart: a peer that closed entirely leaves
 * both directions shut, which poll(2) reports as POLLHUP; a half-close does not.
 */
final class PeerProbe {
    private static final int POLLHUP = 0x10;
    private static final int POLLERR = 0x8;

    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance("c"));
        }

        /** {@code struct pollfd} as two ints: fd, then events (low half) and revents (high half). */
        static native int poll(int[] fds, long nfds, int timeout) throws LastErrorException;
    }

    private PeerProbe() {
    }

    static boolean peerGone(Channel channel) {
        if (!channel.isActive()) {
            return true;
        }
        if (!(channel instanceof EpollDomainSocketChannel epoll)) {
            return false;
        }
        int[] pfd = {epoll.fd().intValue(), 0};
        try {
            if (C.poll(pfd, 1, 0) <= 0) {
                return false;
            }
        } catch (LastErrorException e) {
            return false;
        }
        int revents = pfd[1] >>> 16;
        return (revents & (POLLHUP | POLLERR)) != 0;
    }
}
