package dev.berth.desktop.core;

import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.EngineTls;
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
import java.util.function.Function;

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
        this(endpoint, null, ui, retryDelay);
    }

    /** {@code tls} for a {@code tcp://} engine behind TLS, else null. */
    public EngineConnection(EngineEndpoint endpoint, EngineTls tls, UiExecutor ui, Duration retryDelay) {
        this.endpoint = endpoint;
        this.client = newClient(endpoint, tls);
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

    private static EngineClient newClient(EngineEndpoint endpoint, EngineTls tls) {
        return EngineClient.builder(endpoint).userAgent("Berth-Desktop/" + EngineClient.CLIENT_VERSION)
                .connectTimeout(Duration.ofSeconds(3)).tls(tls).build();
    }

    /**
     * Connects to another engine: the lists reload through {@link #onConnected} as on a reconnect.
     * The old client is closed, so a call still running on it fails rather than answering late.
     */
    public void switchTo(EngineEndpoint next) {
        switchTo(next, null);
    }

    /** {@link #switchTo(EngineEndpoint)} to a {@code tcp://} engine behind TLS ({@code tls} null for none). */
    public void switchTo(EngineEndpoint next, EngineTls tls) {
        EngineClient old;
        MessageStream<EventMessage> s;
        int gen;
        synchronized (wake) {
            old = client;
            endpoint = next;
            client = newClient(next, tls);
            gen = ++generation;
            s = stream;
            wake.notifyAll();
        }
        publish(gen, State.CONNECTING, "");
        // No interrupt: it could land after the loop has moved on to the new engine and fail that
        // connect. Closing the old client cancels the loop's call in flight (the ping, or /events
        // waiting for its first event), closing the stream ends its reading, notifyAll its wait.
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // the loop notices the switch either way
            }
        }
        old.close(); // cancels its calls still in flight, so none of them answers late
    }

    /**
     * Runs {@code work} on the current engine's client in the background, then {@code done} or
     * {@code failed} on the UI thread, unless the app has switched to another engine meanwhile: then
     * only {@code stale} runs, so an answer from the engine switched away from never reaches a view.
     */
    public <T> void call(Function<EngineClient, T> work, Consumer<T> done, Consumer<Throwable> failed, Runnable stale) {
        int gen;
        EngineClient c;
        synchronized (wake) {
            gen = generation;
            c = client;
        }
        ui.background(() -> work.apply(c), v -> {
            if (gen == generation && !closed) {
                done.accept(v);
            } else {
                stale.run();
            }
        }, e -> {
            if (gen == generation && !closed) {
                failed.accept(e);
            } else {
                stale.run();
            }
        });
    }

    /** {@link #call(Function, Consumer, Consumer, Runnable)} with nothing to do on a stale answer. */
    public <T> void call(Function<EngineClient, T> work, Consumer<T> done, Consumer<Throwable> failed) {
        call(work, done, failed, () -> { });
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
                publish(gen, State.CONNECTED, "");
                // The listeners are read on the UI thread, right after the state changed there: a view
                // built meanwhile either sees CONNECTED or is in this list, so the connection may start
                // before the window is built (as the app does, to list sooner) without a view missing it.
                ui.onUi(() -> {
                    if (gen == generation && !closed) {
                        for (Runnable l : connectedListeners) {
                            l.run();
                        }
                    }
                });
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
                            ui.onUi(() -> {
                                if (gen == generation && !closed) { // not from the engine switched away from, nor after close
                                    l.accept(e);
                                }
                            });
                        }
                    }
                }
                if (!closed && gen == generation) {
                    publish(gen, State.DISCONNECTED, "the engine closed the event stream");
                }
            } catch (Exception e) {
                // Exception, not only RuntimeException: OkHttp (Kotlin) throws InterruptedException
                // undeclared when a switch or close interrupts it while connecting; uncaught, it ended
                // this thread with an error (which TestFX reports in whichever test runs next).
                if (closed) {
                    return;
                }
                if (gen == generation) {
                    publish(gen, State.DISCONNECTED, e.getMessage() == null ? e.toString() : e.getMessage());
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

    /** Sets the state on the UI thread, unless a switch has made it the old engine's news. */
    private void publish(int gen, State s, String error) {
        ui.onUi(() -> {
            if (gen == generation && !closed) {
                lastError.set(error);
                state.set(s);
            }
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
        if (t != null && t != Thread.currentThread()) {
            try {
                // The interrupt and the cancelled calls end the loop at once; bounded all the same.
                t.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the events loop still runs (false once {@link #close} has returned). */
    public boolean isRunning() {
        Thread t;
        synchronized (this) {
            t = loop;
        }
        return t != null && t.isAlive();
    }

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
}
