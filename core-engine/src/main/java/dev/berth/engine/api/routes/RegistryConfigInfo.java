package dev.berth.engine.api.routes;

import dev.berth.registry.InsecureRegistries;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /info}'s {@code RegistryConfig} as dockerd fills it: insecure names under {@code IndexConfigs}
 * with {@code Secure: false} beside Docker Hub's entry, ranges under {@code InsecureRegistryCIDRs}.
 */
final class RegistryConfigInfo {
    private RegistryConfigInfo() {
    }

    static Map<String, Object> of(List<String> insecureRegistries) {
        InsecureRegistries insecure = InsecureRegistries.parse(insecureRegistries);
        Map<String, Object> indexes = new TreeMap<>(); // Go marshals map keys sorted
        for (String name : insecure.names()) {
            indexes.put(name, index(name, false, false));
        }
        indexes.put("docker.io", index("docker.io", true, true));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("IndexConfigs", indexes);
        config.put("InsecureRegistryCIDRs", insecure.cidrs());
        config.put("Mirrors", List.of());
        return config;
    }

    private static Map<String, Object> index(String name, boolean secure, boolean official) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Mirrors", List.of());
        m.put("Secure", secure);
        m.put("Official", official);
        return m;
    }
}
