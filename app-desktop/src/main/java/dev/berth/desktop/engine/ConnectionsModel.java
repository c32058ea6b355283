package dev.berth.desktop.engine;

import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.store.DesktopCatalog.SavedConnection;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.EngineTls;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The engine connections listed in Settings (kept in the catalog; the active one is the catalog's
 * default) and switching between them. "Berth (default)" is always listed: the engine's default socket.
 * The catalog is read and written through the executor's {@code inOrder} (never on the UI thread); the
 * list follows on the UI thread.
 */
public final class ConnectionsModel {
    public static final String DEFAULT_NAME = "Berth (default)";

    private final UiExecutor ui;
    private final DesktopCatalog catalog;
    private final EngineEndpoint defaultEndpoint;
    private final BiConsumer<EngineEndpoint, EngineTls> switcher;
    private final ObservableList<SavedConnection> connections = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    /** The names of the listed connections that have TLS files (UI thread). */
    private Set<String> withTls = Set.of();

    /** {@code switcher} reconnects the app to an endpoint (EngineConnection.switchTo and the status model). */
    public ConnectionsModel(DesktopCatalog catalog, EngineEndpoint defaultEndpoint, Consumer<EngineEndpoint> switcher) {
        this(UiExecutor.synchronous(), defaultEndpoint, catalog, (e, tls) -> switcher.accept(e));
    }

    /** A model whose {@code switcher} is also given the connection's TLS (null for none). */
    public static ConnectionsModel withTls(DesktopCatalog catalog, EngineEndpoint defaultEndpoint,
                                           BiConsumer<EngineEndpoint, EngineTls> switcher) {
        return new ConnectionsModel(UiExecutor.synchronous(), defaultEndpoint, catalog, switcher);
    }

    /** As {@link #withTls(DesktopCatalog, EngineEndpoint, BiConsumer)}, using the catalog through {@code ui} (the app's view). */
    public static ConnectionsModel withTls(UiExecutor ui, DesktopCatalog catalog, EngineEndpoint defaultEndpoint,
                                           BiConsumer<EngineEndpoint, EngineTls> switcher) {
        return new ConnectionsModel(ui, defaultEndpoint, catalog, switcher);
    }

    private ConnectionsModel(UiExecutor ui, EngineEndpoint defaultEndpoint, DesktopCatalog catalog,
                             BiConsumer<EngineEndpoint, EngineTls> switcher) {
        this.ui = ui;
        this.catalog = catalog;
        this.defaultEndpoint = defaultEndpoint;
        this.switcher = switcher;
        reload();
    }

    /** The host to connect to at start when none was given on the command line: the active saved one. */
    public static Optional<String> activeHost(DesktopCatalog catalog) {
        return catalog.connections().stream().filter(SavedConnection::isDefault).map(SavedConnection::host).findFirst();
    }

    /** The active saved connection's TLS, for the app's start; empty for none. */
    public static Optional<EngineTls> activeTls(DesktopCatalog catalog) {
        return catalog.connections().stream().filter(SavedConnection::isDefault).findFirst()
                .flatMap(c -> tls(catalog, c.name())).map(ConnectionTls::engineTls);
    }

    /** The TLS files saved with a connection, if any. */
    public static Optional<ConnectionTls> tls(DesktopCatalog catalog, String name) {
        return catalog.setting(ConnectionTls.SETTING_PREFIX + name).flatMap(ConnectionTls::decode);
    }

    public ObservableList<SavedConnection> connections() {
        return connections;
    }

    /** Why the last add or switch was refused, empty when it was not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Whether the listed connection of that name has TLS files (for its row). */
    public boolean hasTls(String name) {
        return withTls.contains(name);
    }

    private void reload() {
        ui.inOrder(() -> {
            List<SavedConnection> saved = catalog.connections();
            Set<String> tls = saved.stream().filter(c -> tls(catalog, c.name()).isPresent()).map(SavedConnection::name)
                    .collect(Collectors.toUnmodifiableSet());
            boolean anyActive = saved.stream().anyMatch(SavedConnection::isDefault);
            List<SavedConnection> all = new ArrayList<>();
            all.add(new SavedConnection(DEFAULT_NAME, defaultEndpoint.uri(), !anyActive));
            all.addAll(saved);
            ui.onUi(() -> {
                withTls = tls;
                connections.setAll(all);
            });
        });
    }

    public Optional<SavedConnection> active() {
        return connections.stream().filter(SavedConnection::isDefault).findFirst();
    }

    /** Saves a connection after checking its address parses: unix:///path.sock, /path.sock or tcp://host:port. */
    public boolean add(String name, String host) {
        return add(name, host, null, null, null);
    }

    /**
     * Saves a connection; with any of the TLS files (paths, blank for none) it must be tcp://, and the
     * files must exist and make a TLS setup (a certificate needs its key).
     */
    public boolean add(String name, String host, String caCert, String cert, String key) {
        ConnectionTls tls = null;
        if (ConnectionTls.path(caCert) != null || ConnectionTls.path(cert) != null || ConnectionTls.path(key) != null) {
            tls = new ConnectionTls(ConnectionTls.path(caCert), ConnectionTls.path(cert), ConnectionTls.path(key));
            String problem = check(host, tls);
            if (problem != null) {
                error.set(problem);
                return false;
            }
        }
        if (!checkPlain(name, host)) {
            return false;
        }
        String n = name.strip();
        String h = host.strip();
        String encoded = tls == null ? "" : tls.encode();
        error.set("");
        ui.inOrder(() -> {
            catalog.saveConnection(new SavedConnection(n, h, false));
            catalog.putSetting(ConnectionTls.SETTING_PREFIX + n, encoded);
        });
        reload();
        return true;
    }

    private static String check(String host, ConnectionTls tls) {
        try {
            if (EngineEndpoint.parse(host == null ? "" : host.strip()).isUnix()) {
                return "TLS is for tcp:// engines; a Unix socket needs none.";
            }
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if ((tls.cert() == null) != (tls.key() == null)) {
            return "A client certificate needs its key, and a key its certificate.";
        }
        for (java.nio.file.Path p : new java.nio.file.Path[] {tls.caCert(), tls.cert(), tls.key()}) {
            if (p != null && !Files.isReadable(p)) {
                return "Cannot read " + p + ".";
            }
        }
        try {
            tls.engineTls().context(); // the files parse: certificates and a key that fits them
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        return null;
    }

    private boolean checkPlain(String name, String host) {
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
        return true;
    }

    public void remove(String name) {
        if (name.equals(DEFAULT_NAME)) {
            return;
        }
        boolean wasActive = active().map(c -> c.name().equals(name)).orElse(false);
        ui.inOrder(() -> {
            catalog.removeConnection(name);
            catalog.putSetting(ConnectionTls.SETTING_PREFIX + name, "");
        });
        reload();
        if (wasActive) {
            switcher.accept(defaultEndpoint, null);
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
        SavedConnection chosen = c.get();
        error.set("");
        ui.inOrder(() -> {
            for (SavedConnection s : catalog.connections()) {
                if (s.isDefault()) {
                    catalog.saveConnection(new SavedConnection(s.name(), s.host(), false));
                }
            }
            if (!name.equals(DEFAULT_NAME)) {
                catalog.saveConnection(new SavedConnection(chosen.name(), chosen.host(), true));
            }
            EngineTls tls;
            try {
                tls = tls(catalog, name).map(ConnectionTls::engineTls).orElse(null);
            } catch (RuntimeException e) {
                ui.onUi(() -> error.set(e.getMessage()));
                return;
            }
            ui.onUi(() -> switcher.accept(endpoint, tls));
        });
        reload();
    }
}
