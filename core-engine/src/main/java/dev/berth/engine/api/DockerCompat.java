package dev.berth.engine.api;

/**
 * The Docker release Berth presents itself as. Clients compare {@code /version}'s {@code Version}
 * with Docker release numbers (Testcontainers wants at least 1.6.0), so Berth's own version, 0.1.0,
 * would look like an ancient Docker. Like podman, Berth answers with the Docker Engine release that
 * introduced the API version it serves, and keeps its own version in Platform and Components.
 */
public final class DockerCompat {
    /** Docker Engine 25.0 introduced API 1.44 ({@link ApiVersion#CURRENT}). */
    public static final String ENGINE_RELEASE = "25.0.0";

    private DockerCompat() {
    }
}
