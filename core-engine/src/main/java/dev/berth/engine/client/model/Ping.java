package dev.berth.engine.client.model;

/**
 * What {@code GET /_ping} tells in its headers: the newest API version the engine speaks, its OS,
 * and the {@code Server} header (which names the engine: Docker, Podman, Berth).
 */
public record Ping(String apiVersion, String osType, boolean experimental, String builderVersion, String server) {
}
