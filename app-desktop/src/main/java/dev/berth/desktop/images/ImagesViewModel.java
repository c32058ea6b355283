package dev.berth.desktop.images;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.ui.UsedBy;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.ImageHistoryItem;
import dev.berth.engine.client.model.ImageSummary;
import dev.berth.engine.client.model.JsonMessage;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.desktop.core.LastKnownList;
import dev.berth.engine.client.model.ContainerSummary;
import dev.berth.images.Json;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The images view's state: the engine's images, kept current by events; pull, remove, tag, prune. */
public final class ImagesViewModel {
    private final AppServices services;
    private final ObservableList<ImageSummary> images = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private boolean loading;
    private boolean again;

    public ImagesViewModel(AppServices services) {
        this.services = services;
        this.lastKnown = new LastKnownList(services, LastKnownList.IMAGES);
        services.engine().onConnected(this::reload);
        services.engine().onEvent(e -> {
            // a container made or removed changes which images are in use
            if ("image".equals(e.type()) || ("container".equals(e.type()) && ("create".equals(e.action()) || "destroy".equals(e.action())))) {
                reload();
            }
        });
        if (services.engine().state() == EngineConnection.State.CONNECTED) {
            reload();
        }
        showLastKnown();
    }

    private final LastKnownList lastKnown;
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper showingLastKnown = new ReadOnlyBooleanWrapper(false);

    /** False until the engine has listed its images. */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    /** True while the rows shown are the catalog's kept list, not yet the engine's answer: the view says so. */
    public ReadOnlyBooleanProperty showingLastKnownProperty() {
        return showingLastKnown.getReadOnlyProperty();
    }

    /**
     * Until the engine answers, last time's images, "used by" from last time's containers (both kept in
     * the catalog): the view opens with its rows rather than empty.
     */
    private void showLastKnown() {
        if (live.get()) {
            return;
        }
        lastKnown.load(json -> {
            List<ImageSummary> list = parse(json.getBytes(StandardCharsets.UTF_8));
            Map<String, List<String>> users = services.catalog().lastKnown(LastKnownList.CONTAINERS).map(c -> {
                try {
                    return UsedBy.byImage(parseContainers(c));
                } catch (RuntimeException e) {
                    return Map.<String, List<String>>of(); // a damaged containers copy only loses "used by"
                }
            }).orElse(Map.of());
            return new Listed(list, users);
        }, kept -> {
            if (!live.get()) {
                show(kept);
                showingLastKnown.set(true);
            }
        });
    }

    static List<ImageSummary> parse(byte[] raw) {
        try {
            return Json.MAPPER.readValue(raw, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, ImageSummary.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ContainerSummary> parseContainers(String json) {
        try {
            return Json.MAPPER.readValue(json, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, ContainerSummary.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void show(Listed r) {
        usedBy = r.usedBy();
        images.setAll(r.images().stream().sorted(Comparator.comparingLong(ImageSummary::created).reversed()).toList());
    }

    public ObservableList<ImageSummary> images() {
        return images;
    }

    private record Listed(List<ImageSummary> images, Map<String, List<String>> usedBy) {
    }

    private Map<String, List<String>> usedBy = Map.of();

    /** The names of the containers (running or not) made from an image, by its ID. */
    public List<String> usedBy(ImageSummary image) {
        return usedBy.getOrDefault(image.id(), List.of());
    }

    /** The last action's outcome or failure, for the user. */
    public StringProperty messageProperty() {
        return message;
    }

    public void reload() {
        if (loading) {
            again = true;
            return;
        }
        loading = true;
        services.engine().call(c -> {
            byte[] raw = c.listImagesRaw(false, null, false);
            return Map.entry(raw, new Listed(parse(raw), UsedBy.byImage(c.containers().list(true, 0, false, null))));
        }, r -> {
            live.set(true);
            showingLastKnown.set(false);
            show(r.getValue());
            lastKnown.keep(r.getKey());
            done();
        }, e -> {
            message.set("Cannot list images: " + e.getMessage());
            done();
        }, this::done);
    }

    private void done() {
        loading = false;
        if (again) {
            again = false;
            reload();
        }
    }

    /** Pulls {@code ref}, reporting each message to {@code progress} on the UI thread; then reloads. */
    public PullProgress pull(String ref, Consumer<String> finished) {
        PullProgress progress = new PullProgress();
        services.ui().background(() -> {
            String error = null;
            try (MessageStream<JsonMessage> s = services.engine().client().pullImage(ref, null, null)) {
                while (s.hasNext()) {
                    JsonMessage m = s.next();
                    services.ui().onUi(() -> progress.accept(m));
                    if (m.isError()) {
                        error = m.errorMessage();
                    }
                }
            }
            if (error != null) {
                throw new BerthException(ErrorCategory.UNAVAILABLE, error);
            }
            return ref;
        }, r -> {
            progress.statusProperty().set("Pulled " + r);
            message.set("Pulled " + r);
            reload();
            finished.accept(null);
        }, e -> {
            progress.statusProperty().set("Failed: " + e.getMessage());
            finished.accept(e.getMessage());
        });
        return progress;
    }

    /** Removes an image; a conflict is explained (which container uses it, and what to do). */
    public void remove(String ref, boolean force) {
        services.ui().background(() -> services.engine().client().removeImage(ref, force, false), r -> {
            message.set("Removed " + ref);
            reload();
        }, e -> message.set(explainRemoveFailure(ref, e)));
    }

    /**
     * Docker's rules for removing an image, for the dialog that asks before a removal the engine refused
     * (the engine applies them; this only says them).
     */
    public static final String REMOVE_RULES = """
            An image cannot be removed while a container uses it, running or stopped: remove the container first.
            Removing one of several tags only removes that tag; the image stays for the others.
            Force removes the image even when stopped containers were made from it (they keep working, their image shows as its ID),
            and an image referenced by several repositories all at once. An image a running container uses cannot be removed, even with force.""";

    /** Whether forcing could remove what the engine refused (it never removes the image of a running container). */
    public static boolean forceMayHelp(Throwable e) {
        return e instanceof BerthException b && b.category() == ErrorCategory.CONFLICT
                && !String.valueOf(e.getMessage()).contains("cannot be forced");
    }

    /** Removes an image; a refusal goes to {@code refused} (on the UI thread) as well as to the message. */
    public void remove(String ref, boolean force, Consumer<Throwable> refused) {
        services.ui().background(() -> services.engine().client().removeImage(ref, force, false), r -> {
            message.set("Removed " + ref);
            reload();
        }, e -> {
            message.set(explainRemoveFailure(ref, e));
            refused.accept(e);
        });
    }

    static String explainRemoveFailure(String ref, Throwable e) {
        if (e instanceof BerthException b && b.category() == ErrorCategory.CONFLICT) {
            return "Cannot remove " + ref + ": " + e.getMessage()
                    + ". Remove the containers that use it first, or remove it with force (tags go, containers keep running).";
        }
        return "Cannot remove " + ref + ": " + e.getMessage();
    }

    public void tag(String source, String target) {
        services.ui().background(() -> {
            services.engine().client().tagImage(source, target);
            return target;
        }, t -> {
            message.set("Tagged " + t);
            reload();
        }, e -> message.set("Cannot tag: " + e.getMessage()));
    }

    public void prune() {
        java.util.Set<String> listed = images.stream().map(ImageSummary::id).collect(java.util.stream.Collectors.toSet());
        services.ui().background(() -> services.engine().client().pruneImages(null), r -> {
            message.set(pruned(r, listed));
            reload();
        }, e -> message.set("Cannot prune: " + e.getMessage()));
    }

    /**
     * What a prune did, as {@code docker image prune} sums it up. The report's "Deleted" entries name the
     * layers freed as well as the images, so the images counted are those of the list the user saw.
     */
    static String pruned(dev.berth.engine.client.model.ImagePruneReport r, java.util.Set<String> listed) {
        long deleted = r.imagesDeleted().stream().filter(d -> d.deleted() != null && listed.contains(d.deleted())).count();
        if (deleted == 0 && r.imagesDeleted().stream().anyMatch(d -> d.deleted() != null && !d.deleted().isEmpty())) {
            return "Pruned images not listed here, reclaimed " + dev.berth.desktop.ui.Sizes.human(r.spaceReclaimed());
        }
        return deleted == 0 ? "No dangling images to prune"
                : "Pruned " + deleted + (deleted == 1 ? " image" : " images") + ", reclaimed " + dev.berth.desktop.ui.Sizes.human(r.spaceReclaimed());
    }

    public void history(String ref, Consumer<List<ImageHistoryItem>> shown) {
        services.ui().background(() -> services.engine().client().imageHistory(ref), shown,
                e -> message.set("Cannot read history: " + e.getMessage()));
    }
}
