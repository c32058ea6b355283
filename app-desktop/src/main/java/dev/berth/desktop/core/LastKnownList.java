package dev.berth.desktop.core;

import dev.berth.desktop.store.DesktopCatalog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One list the catalog keeps for the next start (containers, images, volumes, networks): read once
 * before the engine answers, so the window opens with last time's rows rather than an empty table,
 * and written after each changed answer. Both run through the {@link UiExecutor}'s background, never
 * on the UI thread (the catalog is one JDBC connection; a use can wait seconds behind a writer).
 */
public final class LastKnownList {
    /** The catalog's kinds (its {@code last_known} table's key). */
    public static final String CONTAINERS = "containers";
    public static final String IMAGES = "images";
    public static final String VOLUMES = "volumes";
    public static final String NETWORKS = "networks";

    private final AppServices services;
    private final String kind;
    /** The bytes last handed to the catalog (UI thread): an unchanged answer is not written again. */
    private byte[] lastSaved;

    public LastKnownList(AppServices services, String kind) {
        this.services = services;
        this.kind = kind;
    }

    /**
     * Reads the kept list in the background, turns it into {@code T} there with {@code parse} (which may
     * read more of the catalog, e.g. the kept containers for "used by"), and hands it to {@code shown} on
     * the UI thread. Nothing kept, or a copy that does not parse, shows nothing: the table stays empty
     * until the engine answers.
     */
    public <T> void load(Function<String, T> parse, Consumer<T> shown) {
        DesktopCatalog catalog = services.catalog();
        if (catalog == null) {
            return;
        }
        services.ui().background(() -> catalog.lastKnown(kind).map(parse).orElse(null), list -> {
            if (list != null) {
                shown.accept(list);
            }
        }, e -> { });
    }

    /**
     * Keeps the engine's answer, after it is shown and on its own background task: a write (an fsync on
     * a busy disk) never delays the list. Most reloads answer what the catalog holds already: those cost
     * a comparison, not a write.
     */
    public void keep(byte[] raw) {
        DesktopCatalog catalog = services.catalog();
        if (catalog == null || Arrays.equals(raw, lastSaved)) {
            return;
        }
        lastSaved = raw;
        services.ui().background(() -> {
            catalog.saveLastKnown(kind, new String(raw, StandardCharsets.UTF_8));
            return null;
        }, x -> { }, e -> {
            if (lastSaved == raw) {
                lastSaved = null; // not kept after all: the next answer, even the same, tries again
            }
        }); // only the next start's first moments lose; the list itself is fine
    }
}
