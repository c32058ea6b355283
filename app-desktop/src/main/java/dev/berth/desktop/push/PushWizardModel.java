package dev.berth.desktop.push;

import dev.berth.desktop.core.UiExecutor;
import dev.berth.errors.BerthException;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The push wizard's state and steps, without any control: 1 pick a local image, 2 the target (Docker
 * Hub by default, validated as the user types), 3 sign in when the target's registry has no login,
 * 4 push with per-layer states, then the digest and a {@code docker pull} command, or a plain error
 * with Retry when retrying can help. Engine and registry work goes through {@link Backend} on the
 * {@link UiExecutor}'s background.
 */
public final class PushWizardModel {
    public static final String DOCKER_HUB = "docker.io";

    public enum Step { IMAGE, TARGET, SIGN_IN, PUSH }

    /** What the wizard needs from the engine and the registry list. Blocking calls. */
    public interface Backend {
        /** Local images by reference (repo:tag). */
        List<String> localImages();

        /** Registry hosts, Docker Hub first. */
        List<String> registries();

        Optional<String> user(String registry);

        /** Returns the engine's status ("Login Succeeded"); throws with a plain message when refused. */
        String signIn(String registry, String user, String password);

        /** Tags if needed and pushes; returns the digest; throws {@link PushFailedException}. */
        String push(String image, PushTarget target, Consumer<PushModel.Progress> progress);
    }

    /** One layer's line: short id, the engine's words, and a settled kind for the icon/colour. */
    public record Layer(String id, String status, Kind kind) {
        public enum Kind { WAITING, PUSHING, PUSHED, EXISTS, MOUNTED }

        static Layer of(String id, String status) {
            Kind k;
            if (status.equals("Layer already exists")) {
                k = Kind.EXISTS;
            } else if (status.startsWith("Mounted from")) {
                k = Kind.MOUNTED;
            } else if (status.equals("Pushed")) {
                k = Kind.PUSHED;
            } else if (status.equals("Preparing") || status.equals("Waiting")) {
                k = Kind.WAITING;
            } else {
                k = Kind.PUSHING;
            }
            return new Layer(id, status, k);
        }

        public boolean settled() {
            return kind == Kind.PUSHED || kind == Kind.EXISTS || kind == Kind.MOUNTED;
        }
    }

    private final Backend backend;
    private final UiExecutor ui;
    private final ObjectProperty<Step> step = new SimpleObjectProperty<>(Step.IMAGE);
    private final ObservableList<String> images = FXCollections.observableArrayList();
    private final ObservableList<String> registries = FXCollections.observableArrayList();
    private final StringProperty image = new SimpleStringProperty();
    private final StringProperty registry = new SimpleStringProperty(DOCKER_HUB);
    private final StringProperty repository = new SimpleStringProperty("");
    private final StringProperty tag = new SimpleStringProperty("latest");
    private final StringProperty user = new SimpleStringProperty();
    private final StringProperty targetPreview = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final ObservableList<Layer> layers = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty digest = new SimpleStringProperty();
    private final StringProperty pullCommand = new SimpleStringProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BooleanProperty retryable = new SimpleBooleanProperty();
    private final BooleanProperty done = new SimpleBooleanProperty();
    private PushTarget target;

    public PushWizardModel(Backend backend, UiExecutor ui) {
        this.backend = backend;
        this.ui = ui;
        registry.addListener((o, a, b) -> {
            user.set(null);
            onTargetEdited();
            if (b != null) {
                refreshUser();
            }
        });
        repository.addListener((o, a, b) -> onTargetEdited());
        tag.addListener((o, a, b) -> onTargetEdited());
    }

    /** Loads images and registries, then pre-fills from {@code imageRef} (may be null). */
    public void load(String imageRef) {
        load(imageRef, null);
    }

    /** As {@link #load(String)}; {@code preferredRegistry} (may be null) is chosen when the image names none. */
    public void load(String imageRef, String preferredRegistry) {
        busy.set(true);
        ui.background(() -> new Object[] {backend.localImages(), backend.registries()}, r -> {
            @SuppressWarnings("unchecked") List<String> imgs = (List<String>) r[0];
            @SuppressWarnings("unchecked") List<String> regs = (List<String>) r[1];
            images.setAll(imgs);
            List<String> all = new ArrayList<>(regs);
            if (!all.contains(DOCKER_HUB)) {
                all.addFirst(DOCKER_HUB);
            }
            registries.setAll(all);
            busy.set(false);
            if (imageRef != null && !imageRef.isBlank()) {
                if (!images.contains(imageRef)) {
                    images.addFirst(imageRef);
                }
                chooseImage(imageRef);
            }
            if (preferredRegistry != null && registries.contains(preferredRegistry)
                    && (imageRef == null || Ref.parse(imageRef).host() == null)) {
                registry.set(preferredRegistry);
            }
            refreshUser();
        }, e -> {
            busy.set(false);
            message.set(e.getMessage());
        });
    }

    /** Picks the image and pre-fills the target from its name: same registry if listed, else Docker Hub. */
    public void chooseImage(String ref) {
        image.set(ref);
        Ref r = Ref.parse(ref);
        if (r.host() != null && registries.contains(r.host()) && !r.host().equals(DOCKER_HUB)) {
            registry.set(r.host());
            repository.set(r.path());
        } else {
            registry.set(DOCKER_HUB);
            String p = r.path();
            repository.set(p.substring(p.lastIndexOf('/') + 1));
        }
        tag.set(r.tag() == null ? "latest" : r.tag());
    }

    /** A reference split the way the docker CLI does: a first part with '.', ':' or localhost is a host. */
    record Ref(String host, String path, String tag) {
        static Ref parse(String ref) {
            String s = ref;
            int at = s.indexOf('@');
            if (at >= 0) {
                s = s.substring(0, at);
            }
            String t = null;
            int colon = s.lastIndexOf(':');
            if (colon > s.lastIndexOf('/')) {
                t = s.substring(colon + 1);
                s = s.substring(0, colon);
            }
            String host = null;
            int slash = s.indexOf('/');
            if (slash > 0) {
                String first = s.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    host = first;
                    s = s.substring(slash + 1);
                }
            }
            return new Ref(host, s, t);
        }
    }

    private void refreshUser() {
        String host = registry.get();
        ui.background(() -> backend.user(host).orElse(null), u -> {
            if (host.equals(registry.get())) {
                user.set(u);
                onTargetEdited();
            }
        }, e -> message.set(e.getMessage()));
    }

    private void onTargetEdited() {
        if (step.get() == Step.TARGET || step.get() == Step.IMAGE) {
            validateTarget();
        }
    }

    /** Builds the target from the fields; sets the inline message; returns it or null. */
    PushTarget validateTarget() {
        try {
            String host = registry.get();
            PushTarget t;
            if (DOCKER_HUB.equals(host)) {
                // Before sign-in the namespace is not known: validate the name with a stand-in.
                String ns = user.get() == null ? "you" : user.get();
                t = PushTarget.dockerHub(ns, repository.get().strip(), tag.get());
                targetPreview.set(user.get() == null ? "docker.io/<your user>/" + t.repository().substring(4) + ":" + t.tag()
                        : t.reference());
            } else {
                t = PushTarget.on(host, repository.get().strip(), tag.get());
                targetPreview.set(t.reference());
            }
            message.set("");
            return t;
        } catch (BerthException e) {
            targetPreview.set("");
            message.set(e.getMessage());
            return null;
        }
    }

    public boolean canAdvance() {
        return switch (step.get()) {
            case IMAGE -> image.get() != null && !image.get().isBlank();
            case TARGET -> validateTarget() != null;
            case SIGN_IN -> user.get() != null;
            case PUSH -> false;
        };
    }

    /** Next: from TARGET to sign-in when the registry has no login, else straight to the push. */
    public void next() {
        switch (step.get()) {
            case IMAGE -> {
                if (canAdvance()) {
                    message.set("");
                    step.set(Step.TARGET);
                    refreshUser();
                    validateTarget();
                } else {
                    message.set("Choose an image to push.");
                }
            }
            case TARGET -> {
                if (validateTarget() == null) {
                    return;
                }
                String host = registry.get();
                busy.set(true);
                ui.background(() -> backend.user(host).orElse(null), u -> {
                    busy.set(false);
                    user.set(u);
                    if (u == null) {
                        message.set("");
                        step.set(Step.SIGN_IN);
                    } else {
                        startPush();
                    }
                }, e -> {
                    busy.set(false);
                    message.set(e.getMessage());
                });
            }
            case SIGN_IN -> {
                if (user.get() != null) {
                    startPush();
                }
            }
            case PUSH -> { }
        }
    }

    public void back() {
        switch (step.get()) {
            case TARGET -> step.set(Step.IMAGE);
            case SIGN_IN -> step.set(Step.TARGET);
            case PUSH -> {
                if (!busy.get()) {
                    step.set(Step.TARGET);
                    validateTarget();
                }
            }
            case IMAGE -> { }
        }
    }

    /** Signs in inline; the password is used once and not kept. On success the push starts. */
    public void signIn(String name, String password) {
        String host = registry.get();
        if (name == null || name.isBlank() || password == null || password.isEmpty()) {
            message.set("Enter the user name and the password or access token.");
            return;
        }
        busy.set(true);
        message.set("Signing in to " + host + "…");
        ui.background(() -> {
            backend.signIn(host, name.strip(), password);
            return backend.user(host).orElse(name.strip());
        }, u -> {
            busy.set(false);
            user.set(u);
            message.set("Signed in to " + host + " as " + u + ".");
            startPush();
        }, e -> {
            busy.set(false);
            message.set(e.getMessage());
        });
    }

    private void startPush() {
        step.set(Step.PUSH);
        target = validateTarget();
        if (target == null) {
            step.set(Step.TARGET);
            return;
        }
        push();
    }

    /** Pushes (again): layers the registry already has come back as "Layer already exists". */
    public void retry() {
        if (step.get() == Step.PUSH && !busy.get() && target != null) {
            push();
        }
    }

    private void push() {
        PushTarget t = target;
        String img = image.get();
        layers.clear();
        digest.set(null);
        pullCommand.set(null);
        retryable.set(false);
        done.set(false);
        busy.set(true);
        message.set("");
        status.set("Pushing " + img + " to " + t.reference() + "…");
        ui.background(() -> backend.push(img, t, p -> ui.onUi(() -> show(p))), d -> {
            busy.set(false);
            done.set(true);
            for (int i = 0; i < layers.size(); i++) {
                if (!layers.get(i).settled()) {
                    layers.set(i, Layer.of(layers.get(i).id(), "Pushed"));
                }
            }
            digest.set(d);
            pullCommand.set(t.pullCommand(d));
            status.set("Pushed " + t.reference());
        }, e -> {
            busy.set(false);
            PushErrors.Failure f = e instanceof PushFailedException p ? p.failure()
                    : PushErrors.of(t.registry(), user.get() != null, e);
            status.set("Push failed");
            message.set(f.message());
            retryable.set(f.retryable());
        });
    }

    private void show(PushModel.Progress p) {
        for (Map.Entry<String, String> e : p.layers().entrySet()) {
            Layer next = Layer.of(e.getKey(), e.getValue());
            boolean found = false;
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).id().equals(e.getKey())) {
                    if (!layers.get(i).equals(next)) {
                        layers.set(i, next);
                    }
                    found = true;
                }
            }
            if (!found) {
                layers.add(next);
            }
        }
    }

    public ObjectProperty<Step> stepProperty() {
        return step;
    }

    public ObservableList<String> images() {
        return images;
    }

    public ObservableList<String> registries() {
        return registries;
    }

    public StringProperty imageProperty() {
        return image;
    }

    public StringProperty registryProperty() {
        return registry;
    }

    public StringProperty repositoryProperty() {
        return repository;
    }

    public StringProperty tagProperty() {
        return tag;
    }

    /** The signed-in user on the chosen registry, or null. */
    public StringProperty userProperty() {
        return user;
    }

    public StringProperty targetPreviewProperty() {
        return targetPreview;
    }

    /** The inline message: validation, sign-in outcome, or the push's plain error. */
    public StringProperty messageProperty() {
        return message;
    }

    public ObservableList<Layer> layers() {
        return layers;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty digestProperty() {
        return digest;
    }

    public StringProperty pullCommandProperty() {
        return pullCommand;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public BooleanProperty retryableProperty() {
        return retryable;
    }

    public BooleanProperty doneProperty() {
        return done;
    }
}
