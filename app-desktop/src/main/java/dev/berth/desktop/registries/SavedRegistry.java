package dev.berth.desktop.registries;

import dev.berth.registry.RegistryHosts;

/**
 * A registry in the list: its host[:port] and whether TLS is unverified. No credential lives here:
 * those stay in docker's config.json or its credential helper.
 */
public record SavedRegistry(String host, boolean insecure) {
    public static final SavedRegistry DOCKER_HUB = new SavedRegistry("docker.io", false);

    public boolean isDockerHub() {
        return RegistryHosts.isDockerHub(host);
    }

    /** "plain HTTP" for loopback (as Docker), "insecure" when chosen, else "TLS". */
    public String tlsMode() {
        if (RegistryHosts.isLoopback(host)) {
            return "plain HTTP (loopback)";
        }
        return insecure ? "insecure (TLS not verified)" : "TLS";
    }
}
