package dev.berth.engine.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that went away is found however the streaming code wrapped it; other failures are not mistaken for it. */
class ClientClosedExceptionTest {
    @Test
    void foundThroughWrappersAndOnlyThen() {
        assertTrue(ClientClosedException.in(new ClientClosedException()));
        assertTrue(ClientClosedException.in(new UncheckedIOException(new ClientClosedException())));
        assertTrue(ClientClosedException.in(new RuntimeException(new java.nio.channels.ClosedChannelException())));
        assertFalse(ClientClosedException.in(new IOException("disk full")));
        assertFalse(ClientClosedException.in(new UncheckedIOException(new IOException("client closed the connection"))));
    }
}
