package dev.berth.desktop.registries;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import dev.berth.registry.RegistryHosts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The registries the user added, kept in the desktop catalog (one setting holding a JSON list, so the
 * catalog's schema need not change). Docker Hub is always first and cannot be removed.
 */
public final class RegistryList {
    static final String SETTING = "registries";
    /** host, host:port, or [v6]:port; no scheme, path or user info. */
    private static final Pattern HOST = Pattern.compile("(?:[a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
            + "|\\[[0-9a-f:]+\\])(?::[0-9]{1,5})?");

    private final DesktopCatalog catalog;

    public RegistryList(DesktopCatalog catalog) {
        this.catalog = catalog;
    }

    public synchronized List<SavedRegistry> all() {
        List<SavedRegistry> out = new ArrayList<>();
        out.add(SavedRegistry.DOCKER_HUB);
        out.addAll(saved());
        return out;
    }

    private List<SavedRegistry> saved() {
        return catalog.setting(SETTING).map(json -> {
            try {
                return Json.MAPPER.readValue(json, new TypeReference<List<SavedRegistry>>() { });
            } catch (IOException e) {
                return List.<SavedRegistry>of();
            }
        }).orElse(List.of());
    }

    /** Normalises what a user typed ({@code https://ghcr.io/} → {@code ghcr.io}). */
    public static String normalise(String typed) {
        String s = typed.strip().toLowerCase(Locale.ROOT);
        s = s.replaceFirst("^[a-z]+://", "");
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        if (!HOST.matcher(s).matches()) {
            throw BerthException.invalid("\"" + typed.strip() + "\" is not a registry address (host or host:port)");
        }
        return RegistryHosts.fromServerAddress(s);
    }

    public synchronized SavedRegistry add(String typed, boolean insecure) {
        SavedRegistry r = new SavedRegistry(normalise(typed), insecure && !RegistryHosts.isLoopback(normalise(typed)));
        if (r.isDockerHub()) {
            return SavedRegistry.DOCKER_HUB;
        }
        List<SavedRegistry> list = new ArrayList<>(saved());
        list.removeIf(x -> x.host().equals(r.host()));
        list.add(r);
        write(list);
        return r;
    }

    public synchronized void remove(String host) {
        List<SavedRegistry> list = new ArrayList<>(saved());
        list.removeIf(x -> x.host().equals(host));
        write(list);
    }

    private void write(List<SavedRegistry> list) {
        try {
            catalog.putSetting(SETTING, Json.MAPPER.writeValueAsString(list));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String USERS_SETTING = "registry-users";

    /**
     * Remembers who signed in to {@code host} (a user name, never a secret): a credential helper given
     * an identity token keeps it under docker's {@code <token>} user, so the name would be lost.
     */
    public synchronized void rememberUser(String host, String user) {
        java.util.Map<String, String> users = new java.util.TreeMap<>(users());
        if (user == null || user.isEmpty()) {
            users.remove(host);
        } else {
            users.put(host, user);
        }
        try {
            catalog.putSetting(USERS_SETTING, Json.MAPPER.writeValueAsString(users));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized java.util.Optional<String> rememberedUser(String host) {
        return java.util.Optional.ofNullable(users().get(host));
    }

    private java.util.Map<String, String> users() {
        return catalog.setting(USERS_SETTING).map(json -> {
            try {
                return Json.MAPPER.readValue(json, new TypeReference<java.util.Map<String, String>>() { });
            } catch (IOException e) {
                return java.util.Map.<String, String>of();
            }
        }).orElse(java.util.Map.of());
    }
}
