package dev.berth.desktop.engine;

import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.store.DesktopCatalog.SavedConnection;
import dev.berth.engine.client.EngineEndpoint;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine connections listed in Settings (kept in the catalog; the active one is the catalog's
 * default) and switching between them. "Berth (default)" is always listed: the engine's default socket.
 */
public final class ConnectionsModel {
    public static final String DEFAULT_NAME = "Berth (default)";

    private final DesktopCatalog catalog;
    private final EngineEndpoint defaultEndpoint;
    private final Consumer<EngineEndpoint> switcher;
    private final ObservableList<SavedConnection> connections = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    /** {@code switcher} reconnects the app to an endpoint (EngineConnection.switchTo and the status model). */
    public ConnectionsModel(DesktopCatalog catalog, EngineEndpoint defaultEndpoint, Consumer<EngineEndpoint> switcher) {
        this.catalog = catalog;
        this.defaultEndpoint = defaultEndpoint;
        this.switcher = switcher;
        reload();
    }

    /** The host to connect to at start when none was given on the command line: the active saved one. */
    public static Optional<String> activeHost(DesktopCatalog catalog) {
        return catalog.connections().stream().filter(SavedConnection::isDefault).map(SavedConnection::host).findFirst();
    }

    public ObservableList<SavedConnection> connections() {
        return connections;
    }

    /** Why the last add or switch was refused, empty when it was not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    private void reload() {
        boolean anyActive = catalog.connections().stream().anyMatch(SavedConnection::isDefault);
        connections.setAll(new SavedConnection(DEFAULT_NAME, defaultEndpoint.uri(), !anyActive));
        connections.addAll(catalog.connections());
    }

    public Optional<SavedConnection> active() {
        return connections.stream().filter(SavedConnection::isDefault).findFirst();
    }

    /** Saves a connection after checking its address parses: unix:///path.sock, /path.sock or tcp://host:port. */
    public boolean add(String name, String host) {
        String n = name == null ? "" : name.strip();
        String h = host == null ? "" : host.strip();
        if (n.isEmpty() || h.isEmpty()) {
            error.set("A connection needs a name and an address.");
            return false;
        }
        if (n.equals(DEFAULT_NAME)) {
            error.set("\"" + DEFAULT_NAME + "\" is always listed; choose another name.");
            return false;
        }
        try {
            EngineEndpoint.parse(h);
        } catch (RuntimeException e) {
            error.set(e.getMessage());
            return false;
        }
        catalog.saveConnection(new SavedConnection(n, h, false));
        error.set("");
        reload();
        return true;
    }

    public void remove(String name) {
        if (name.equals(DEFAULT_NAME)) {
            return;
        }
        boolean wasActive = active().map(c -> c.name().equals(name)).orElse(false);
        catalog.removeConnection(name);
        reload();
        if (wasActive) {
            switcher.accept(defaultEndpoint);
        }
    }

    /** Makes a connection the active one and reconnects the app to it. */
    public void activate(String name) {
        Optional<SavedConnection> c = connections.stream().filter(x -> x.name().equals(name)).findFirst();
        if (c.isEmpty()) {
            error.set("No connection named " + name);
            return;
        }
        if (c.get().isDefault()) {
            return;
        }
        EngineEndpoint endpoint;
        try {
            endpoint = EngineEndpoint.parse(c.get().host());
        } catch (RuntimeException e) {
            error.set(e.getMessage());
            return;
        }
        for (SavedConnection s : catalog.connections()) {
            if (s.isDefault()) {
                catalog.saveConnection(new SavedConnection(s.name(), s.host(), false));
            }
        }
        if (!name.equals(DEFAULT_NAME)) {
            catalog.saveConnection(new SavedConnection(c.get().name(), c.get().host(), true));
        }
        error.set("");
        reload();
        switcher.accept(endpoint);
    }
}
