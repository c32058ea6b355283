package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --sig-proxy}: while a container runs attached without a TTY, signals sent to berth go to
 * the container (as docker's {@code ForwardAllSignals}) instead of ending berth. With a TTY the
 * container's terminal turns ctrl-c into SIGINT itself, so docker, and berth, proxy nothing.
 *
 * <p>Only the signals the JVM lets a program handle (QUIT, USR1 and the faults stay the JVM's), and
 * not the job-control ones, so that ctrl-z still stops berth itself; docker skips WINCH, CHLD, PIPE
 * and URG as well.
 */
@SuppressWarnings("removal")
public final class SignalProxy implements AutoCloseable {
    static final List<String> SIGNALS = List.of("INT", "TERM", "HUP", "USR2", "ALRM");

    private record Installed(sun.misc.Signal signal, sun.misc.SignalHandler previous) {
    }

    private final List<Installed> installed = new ArrayList<>();

    private SignalProxy() {
    }

    /** Sends every proxied signal berth receives to {@code forward} as {@code SIGTERM}, {@code SIGINT}, ... */
    public static SignalProxy install(Consumer<String> forward) {
        SignalProxy proxy = new SignalProxy();
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                // Runs on a thread of its own, so a slow engine delays only the forwarding.
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> {
                    try {
                        forward.accept("SIG" + s.getName());
                    } catch (RuntimeException ignored) {
                        // the container is gone: nothing left to signal
                    }
                });
                proxy.installed.add(new Installed(signal, previous));
            } catch (IllegalArgumentException e) {
                // the JVM keeps this one (or the platform has none): not proxied
            }
        }
        return proxy;
    }

    /** Gives the signals back to the handlers they had before. */
    @Override
    public void close() {
        for (Installed i : installed.reversed()) {
            try {
                sun.misc.Signal.handle(i.signal(), i.previous());
            } catch (IllegalArgumentException ignored) {
                // cannot happen for a signal that was handled a moment ago
            }
        }
        installed.clear();
    }
}
