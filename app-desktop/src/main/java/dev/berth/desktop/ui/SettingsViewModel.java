package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.engine.AppEngine;
import dev.berth.desktop.engine.ConnectionsModel;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.tray.Favourites;
import dev.berth.engine.client.model.ContainerSummary;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What the Settings view shows and changes: theme, engine start and data root, notifications, the
 * tray's favourite containers, and the connections ({@link ConnectionsModel}). The settings are read
 * once through the executor's {@code inOrder} and each change written the same way, so the catalog is
 * never used on the UI thread and a value typed key by key lands with its newest value last. A value
 * the user changed before the first read arrived is kept, not overwritten by the stored one.
 */
public final class SettingsViewModel {
    public static final String THEME = "theme";
    public static final String ENGINE_AUTOSTART = "engine.autostart";
    static final String DATA_ROOT = AppEngine.DATA_ROOT;

    private final AppServices services;
    private final DesktopCatalog catalog;
    private final Consumer<Theme> applyTheme;
    private final ConnectionsModel connections;
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    private final BooleanProperty engineAutostart = new SimpleBooleanProperty(true);
    private final StringProperty dataRoot = new SimpleStringProperty("");
    private final BooleanProperty notifications = new SimpleBooleanProperty(true);
    private final Favourites favourites;
    private final ObservableList<String> favouriteChoices = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(false);
    /** Settings the user changed (so a stored value read later must not replace them). */
    private final Set<String> touched = new HashSet<>();
    private Set<String> containerNames = Set.of();
    /** One container list in flight, at most one more asked for after it (a burst of events is one or two calls). */
    private boolean listing;
    private boolean listAgain;
    private boolean applyingStored;

    /** {@code applyTheme} restyles the app ({@link Theme#apply} in the app). */
    public SettingsViewModel(AppServices services, Consumer<Theme> applyTheme) {
        this.services = services;
        this.catalog = services.catalog();
        this.applyTheme = applyTheme;
        this.connections = catalog == null ? null
                : ConnectionsModel.withTls(services.ui(), catalog, AppEngine.defaultEndpoint(), AppEngine.switcher(services));
        favourites = new Favourites(services.ui(), catalog);
        favourites.names().addListener((javafx.collections.SetChangeListener<String>) c -> updateChoices());
        theme.addListener((o, a, t) -> {
            if (!applyingStored && t != null) {
                applyTheme.accept(t);
                changed(THEME, t.name().toLowerCase());
            }
        });
        engineAutostart.addListener((o, a, b) -> changed(ENGINE_AUTOSTART, Boolean.toString(b)));
        dataRoot.addListener((o, a, b) -> changed(DATA_ROOT, b == null ? "" : b.strip()));
        notifications.addListener((o, a, b) -> changed(Notifier.ENABLED, Boolean.toString(b)));
        load();
        if (services.engine() != null) {
            services.engine().onConnected(this::reloadContainers);
            services.engine().onEvent(e -> {
                if ("container".equals(e.type()) && Set.of("create", "destroy", "rename").contains(e.action())) {
                    reloadContainers();
                }
            });
            if (services.engine().state() == EngineConnection.State.CONNECTED) {
                reloadContainers();
            }
        }
    }

    private void load() {
        if (catalog == null) {
            loaded.set(true);
            return;
        }
        services.ui().inOrder(() -> {
            Map<String, Optional<String>> stored = new HashMap<>();
            for (String key : List.of(THEME, ENGINE_AUTOSTART, DATA_ROOT, Notifier.ENABLED)) {
                stored.put(key, catalog.setting(key));
            }
            services.ui().onUi(() -> applyStored(stored));
        });
    }

    private void applyStored(Map<String, Optional<String>> stored) {
        applyingStored = true;
        try {
            if (!touched.contains(THEME)) {
                theme.set(Theme.parse(stored.get(THEME).orElse("system")));
            }
            if (!touched.contains(ENGINE_AUTOSTART)) {
                engineAutostart.set(!"false".equals(stored.get(ENGINE_AUTOSTART).orElse("true")));
            }
            if (!touched.contains(DATA_ROOT)) {
                dataRoot.set(stored.get(DATA_ROOT).orElse(""));
            }
            if (!touched.contains(Notifier.ENABLED)) {
                notifications.set(Notifier.enabled(stored.get(Notifier.ENABLED)));
            }
        } finally {
            applyingStored = false;
        }
        updateChoices();
        loaded.set(true);
    }

    private void changed(String key, String value) {
        if (applyingStored) {
            return;
        }
        touched.add(key);
        if (catalog != null) {
            services.ui().inOrder(() -> catalog.putSetting(key, value));
        }
    }

    private void reloadContainers() {
        if (listing) {
            listAgain = true;
            return;
        }
        listing = true;
        services.engine().call(c -> c.containers().list(true, 0, false, null), list -> {
            Set<String> names = new HashSet<>();
            for (ContainerSummary s : list) {
                if (!s.names().isEmpty()) {
                    names.add(s.names().get(0).replaceFirst("^/", ""));
                }
            }
            containerNames = names;
            updateChoices();
            listed();
        }, e -> listed(), this::listed);
    }

    private void listed() {
        listing = false;
        if (listAgain) {
            listAgain = false;
            reloadContainers();
        }
    }

    /** The choices are the containers' names plus the favourites (one whose container is gone can still be unticked). */
    private void updateChoices() {
        TreeSet<String> all = new TreeSet<>(containerNames);
        all.addAll(favourites.names());
        if (!favouriteChoices.equals(List.copyOf(all))) {
            favouriteChoices.setAll(all);
        }
    }

    /**
     * Ticks or unticks a container as a tray favourite (by name, as {@code docker ps} shows it); the
     * containers view changes the same setting, and either's change shows in both.
     */
    public void setFavourite(String name, boolean favourite) {
        favourites.set(name, favourite);
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public BooleanProperty engineAutostartProperty() {
        return engineAutostart;
    }

    public StringProperty dataRootProperty() {
        return dataRoot;
    }

    /** What an empty data root means: the daemon's default. */
    public String defaultDataRoot() {
        return AppEngine.target(AppEngine.defaultEndpoint(), null).dataRoot().toString();
    }

    public BooleanProperty notificationsProperty() {
        return notifications;
    }

    /** The tray's favourites (names), as ticked. */
    public ObservableSet<String> favourites() {
        return favourites.names();
    }

    /** The names that can be ticked as favourites, sorted. */
    public ObservableList<String> favouriteChoices() {
        return favouriteChoices;
    }

    /** The engine connections; null without a catalog. */
    public ConnectionsModel connections() {
        return connections;
    }

    /** True once the stored settings have been read and shown. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }
}
