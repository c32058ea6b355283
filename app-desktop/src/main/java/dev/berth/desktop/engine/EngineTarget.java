package dev.berth.desktop.engine;

import dev.berth.engine.client.EngineEndpoint;

import java.nio.file.Path;

/**
 * The engine the app talks to. {@code own} means Berth's engine on a Unix socket that the app may
 * start itself (with {@code dataRoot}); any other endpoint (Docker, Podman, TCP) is only connected to.
 */
public record EngineTarget(EngineEndpoint endpoint, boolean own, Path dataRoot) {
    /**
     * Berth's engine when the socket is the default one or is named like Berth's ({@code berth*.sock}):
     * Docker's and Podman's sockets are never started by the app.
     */
    public static EngineTarget of(EngineEndpoint endpoint, Path defaultSocket, Path dataRoot) {
        boolean own = endpoint.isUnix() && (endpoint.socketPath().equals(defaultSocket)
                || endpoint.socketPath().getFileName().toString().startsWith("berth"));
        return new EngineTarget(endpoint, own, dataRoot);
    }

    public Path socket() {
        return endpoint.socketPath();
    }

    /** What a user would type to start this engine themselves. */
    public String manualCommand(boolean asRoot) {
        return (asRoot ? "sudo " : "") + "bin/berth daemon -H unix://" + socket() + " --data-root " + dataRoot;
    }
}
