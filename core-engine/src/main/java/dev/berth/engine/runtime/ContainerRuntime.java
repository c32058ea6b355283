package dev.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A thin, stateless driver over an OCI runtime, after podman's libpod/oci.go. It knows how to run
 * one container from a bundle and how to ask about it; what a container is (its name, its config, its
 * restart policy, whether it should be running) lives in the engine. Every call can be made by a
 * daemon that did not create the container, which is what re-adoption after a restart needs.
 */
public interface ContainerRuntime {
    /** "runc" or "crun", as reported by the binary. */
    String name();

    /**
     * Creates the container from {@code bundle/config.json} under a monitor that holds its stdio, writes
     * its log and records its exit; returns once the container's init exists, stopped before the user
     * process runs.
     */
    Created create(String id, Path bundle, boolean tty) throws IOException;

    /** Runs the user process of a created container. */
    void start(String id) throws IOException;

    void kill(String id, int signal, boolean allProcesses) throws IOException;

    /** Removes the runtime's record of the container; {@code force} kills it first. Absent is fine. */
    void delete(String id, boolean force) throws IOException;

    /** What the runtime reports, or empty when it does not know the container. */
    Optional<RuntimeState> state(String id) throws IOException;

    /** The exit code the monitor recorded, once the container has exited. */
    OptionalInt exitCode(String id) throws IOException;

    /** Waits at most {@code timeout} for the exit code. */
    OptionalInt awaitExit(String id, Duration timeout) throws IOException, InterruptedException;

    /** The container's log, in the k8s-file format: {@code <RFC3339Nano> <stdout|stderr> <F|P> <text>}. */
    Path logPath(Path bundle);

    /** Kills the monitor process if it is still alive: cleanup after a failed create or a test. */
    void killMonitor(Path bundle) throws IOException;

    /** Freezes every process of the container ({@code docker pause}). */
    void pause(String id) throws IOException;

    void resume(String id) throws IOException;

    /** Whether the monitor saw the kernel OOM-kill the container during its last run. */
    boolean oomKilled(Path bundle);

    record Created(long containerPid, long monitorPid) {
    }

    /** {@code runc state}: status is one of creating, created, running, paused, stopped. */
    record RuntimeState(String id, String status, long pid, String bundle) {
    }

    /** Applies new {@code linux.resources} (memory, cpu, pids) to a running or paused container ({@code runc update}). */
    void update(String id, com.fasterxml.jackson.databind.node.ObjectNode resources) throws IOException;
}
