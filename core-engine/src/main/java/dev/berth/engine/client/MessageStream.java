package dev.berth.engine.client;

import com.fasterxml.jackson.databind.MappingIterator;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stream of JSON messages from the engine (pull, push and load progress; events), read one value
 * at a time as the engine sends it. Close it to stop early: that closes the connection, which also
 * tells the engine to cancel a pull or push. Closing from another thread is allowed and ends a
 * blocked {@link #hasNext()} with {@code false}.
 *
 * <p>A message that reports an error ends the stream: {@link #next()} throws it as an
 * {@link EngineApiException} instead of returning it.
 */
public final class MessageStream<T> implements Iterator<T>, Closeable {
    private final Closeable body;
    private final MappingIterator<T> values;
    private final Function<T, BerthException> errorOf;
    private final String endpoint;
    private volatile boolean closed;

    MessageStream(InputStream in, Closeable body, Class<T> type, Function<T, BerthException> errorOf, String endpoint) {
        this.body = body;
        this.errorOf = errorOf;
        this.endpoint = endpoint;
        try {
            this.values = Json.MAPPER.readerFor(type).readValues(in);
        } catch (IOException e) {
            closeQuietly();
            throw lost(e);
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        try {
            boolean more = values.hasNextValue();
            if (!more) {
                close();
            }
            return more;
        } catch (IOException e) {
            if (closed) {
                return false; // closed by another thread: an end, not a failure
            }
            closeQuietly();
            throw lost(e);
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T value;
        try {
            value = values.nextValue();
        } catch (IOException e) {
            closeQuietly();
            throw lost(e);
        }
        BerthException error = errorOf.apply(value);
        if (error != null) {
            closeQuietly();
            throw error;
        }
        return value;
    }

    /** Hands every remaining message to {@code consumer}, then closes; errors propagate as in {@link #next()}. */
    @Override
    public void forEachRemaining(Consumer<? super T> consumer) {
        try {
            while (hasNext()) {
                consumer.accept(next());
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly();
        }
    }

    private void closeQuietly() {
        closed = true;
        try {
            body.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing only releases the connection; a failure here changes nothing for the caller.
        }
    }

    private BerthException lost(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            return new BerthException(ErrorCategory.SYSTEM, "unreadable message from the engine at " + endpoint + ": "
                    + j.getOriginalMessage(), e);
        }
        return new BerthException(ErrorCategory.UNAVAILABLE, "lost the connection to the engine at " + endpoint + ": "
                + e.getMessage(), e);
    }
}
