package dev.berth.engine.runtime;

import dev.berth.errors.BerthException;

/**
 * {@code HostConfig.Runtime} ({@code docker run --runtime}). The daemon runs every container with the
 * one runtime {@link RuntimeSelector} chose, so that is the only runtime it knows by name, as a
 * dockerd knows only the runtimes in its configuration; anything else is refused at create with
 * Docker's 400 instead of being silently run by another runtime.
 */
public final class RuntimeName {
    /** The name containerd's runc shim goes by, which Docker also accepts for its default runtime. */
    static final String RUNC_SHIM = "io.containerd.runc.v2";

    private RuntimeName() {
    }

    /** The name to record in HostConfig.Runtime: the daemon's own for an empty request. */
    public static String resolve(String requested, String daemonRuntime) {
        if (requested == null || requested.isEmpty() || requested.equals(daemonRuntime)
                || ("runc".equals(daemonRuntime) && RUNC_SHIM.equals(requested))) {
            return daemonRuntime;
        }
        throw BerthException.invalid("Unknown runtime specified " + requested);
    }
}
