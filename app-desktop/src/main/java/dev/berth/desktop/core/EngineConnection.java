package dev.berth.desktop.core;

import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.EventMessage;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The app's one connection to an engine: owns the API client, follows {@code /events} and, when the
 * engine goes away, says so and tries again every {@code retryDelay}. Views refresh on
 * {@link #onConnected} (first connect and every reconnect) and on events, so a restarted engine
 * shows up without the user doing anything.
 */
public final class EngineConnection implements AutoCloseable {
    public enum State { CONNECTING, CONNECTED, DISCONNECTED }

    private volatile EngineEndpoint endpoint;
    private volatile EngineClient client;
    /** Bumped by {@link #switchTo}: a stream that ends because of a switch is not the engine going away. */
    private volatile int generation;
    private final Object wake = new Object();
    private final UiExecutor ui;
    private final Duration retryDelay;
    private final List<Consumer<EventMessage>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.CONNECTING);
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper("");
    private volatile boolean closed;
    private volatile MessageStream<EventMessage> stream;
    private Thread loop;

    public EngineConnection(EngineEndpoint endpoint, UiExecutor ui, Duration retryDelay) {
        this.endpoint = endpoint;
        this.client = newClient(endpoint);
        this.ui = ui;
        this.retryDelay = retryDelay;
    }

    public EngineEndpoint endpoint() {
        return endpoint;
    }

    /** The shared API client; calls on it block, so make them through {@link UiExecutor#background}. */
    public EngineClient client() {
        return client;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    /** Why the engine is unreachable, empty while connected. */
    public ReadOnlyStringProperty lastErrorProperty() {
        return lastError.getReadOnlyProperty();
    }

    /** Called on the UI thread for every engine event. */
    public void onEvent(Consumer<EventMessage> listener) {
        eventListeners.add(listener);
    }

    /** Called on the UI thread on every (re)connect: the moment to reload lists. */
    public void onConnected(Runnable listener) {
        connectedListeners.add(listener);
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        loop = Thread.ofPlatform().daemon().name("berth-desktop-events").start(this::run);
    }

    private static EngineClient newClient(EngineEndpoint endpoint) {
        return EngineClient.builder(endpoint).userAgent("Berth-Desktop/" + EngineClient.CLIENT_VERSION)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    /**
     * Connects to another engine: the lists reload through {@link #onConnected} as on a reconnect.
     * The old client is closed, so a call still running on it fails rather than answering late.
     */
    public void switchTo(EngineEndpoint next) {
        EngineClient old;
        MessageStream<EventMessage> s;
        synchronized (wake) {
            old = client;
            endpoint = next;
            client = newClient(next);
            generation++;
            s = stream;
            wake.notifyAll();
        }
        publish(State.CONNECTING, "");
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null) {
            t.interrupt(); // it may be blocked waiting for the old engine's first event
        }
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // the loop notices the switch either way
            }
        }
        old.close();
    }

    private void run() {
        while (!closed) {
            Thread.interrupted(); // a switch's interrupt has done its work once the loop is back here
            int gen = generation;
            EngineClient client = this.client;
            try {
                client.ping();
                if (gen != generation) {
                    continue;
                }
                // The engine answers /events only once it has an event to send, so the connection is
                // announced first; asking for events since a second ago covers what lists loaded on
                // connect could otherwise miss (a repeated event only refreshes a list once more).
                String since = Long.toString(System.currentTimeMillis() / 1000 - 1);
                publish(State.CONNECTED, "");
                connectedListeners.forEach(l -> ui.onUi(l));
                MessageStream<EventMessage> s = client.events(since, null, null);
                stream = s;
                if (closed) {
                    s.close();
                    return;
                }
                if (gen != generation) {
                    s.close(); // switched while subscribing: this stream is the old engine's
                    continue;
                }
                try (s) {
                    while (!closed && s.hasNext()) {
                        EventMessage e = s.next();
                        for (Consumer<EventMessage> l : eventListeners) {
                            ui.onUi(() -> l.accept(e));
                        }
                    }
                }
                if (!closed && gen == generation) {
                    publish(State.DISCONNECTED, "the engine closed the event stream");
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (gen == generation) {
                    publish(State.DISCONNECTED, e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
            try {
                synchronized (wake) {
                    if (gen == generation && !closed) {
                        wake.wait(retryDelay.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void publish(State s, String error) {
        ui.onUi(() -> {
            lastError.set(error);
            state.set(s);
        });
    }

    @Override
    public void close() {
        closed = true;
        MessageStream<EventMessage> s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closing is how the loop is stopped; a failure there changes nothing
            }
        }
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null) {
            t.interrupt();
        }
        client.close();
    }
}
