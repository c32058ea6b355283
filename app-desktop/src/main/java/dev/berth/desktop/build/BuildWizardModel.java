package dev.berth.desktop.build;

import dev.berth.desktop.ui.Sizes;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.BuildRecord;
import dev.berth.engine.client.BuildClient;
import dev.berth.engine.client.BuildContextTar;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.JsonMessage;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The "Build from a Dockerfile" wizard's state and logic: 1 context and Dockerfile (parsed before
 * anything runs), 2 tags, build args, target and options, 3 the streaming build, 4 the result. The
 * view only binds to it. Every build, whatever its end, goes into the catalog's build history.
 */
public final class BuildWizardModel {
    public enum Page { SOURCE, OPTIONS, BUILD, RESULT }

    public enum Result { SUCCEEDED, FAILED, CANCELLED }

    /**
     * One build arg row: the name and default come from the Dockerfile, the value is the user's. Only a
     * changed value is sent: a build arg is taken literally, so sending the Dockerfile's default back
     * ({@code ARG A="x"} shown as x) would change what the build sees.
     */
    public static final class ArgRow {
        private final String name;
        private final String defaultValue;
        private final StringProperty value;

        ArgRow(String name, String defaultValue, String value) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.value = new SimpleStringProperty(value);
        }

        public String name() {
            return name;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public boolean changed() {
            return value.get() != null && !value.get().equals(defaultValue);
        }

        public StringProperty valueProperty() {
            return value;
        }
    }

    static final String[] DOCKERFILE_NAMES = {"Dockerfile", "dockerfile", "Containerfile"};
    private static final int TAIL_LINES = 20;

    private final AppServices services;
    private final Supplier<Optional<String>> hubUser;
    private final ObjectProperty<Page> page = new SimpleObjectProperty<>(Page.SOURCE);
    private final StringProperty context = new SimpleStringProperty("");
    private final StringProperty dockerfile = new SimpleStringProperty("");
    private final StringProperty dockerfileText = new SimpleStringProperty("");
    private final StringProperty parseError = new SimpleStringProperty("");
    private final IntegerProperty parseErrorLine = new SimpleIntegerProperty(0);
    private final ObservableList<String> tags = FXCollections.observableArrayList();
    private final ObservableList<ArgRow> args = FXCollections.observableArrayList();
    private final ObservableList<String> stages = FXCollections.observableArrayList();
    private final StringProperty target = new SimpleStringProperty("");
    private final BooleanProperty noCache = new SimpleBooleanProperty();
    private final BooleanProperty pull = new SimpleBooleanProperty();
    private final ObservableList<BuildLog.Step> steps = FXCollections.observableArrayList();
    private final StringProperty logText = new SimpleStringProperty("");
    private final StringProperty progressText = new SimpleStringProperty("");
    private final ObjectProperty<Double> progress = new SimpleObjectProperty<>(0.0);
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final ObjectProperty<Result> result = new SimpleObjectProperty<>();
    private final StringProperty imageId = new SimpleStringProperty("");
    private final StringProperty imageSize = new SimpleStringProperty("");
    private final StringProperty failedStep = new SimpleStringProperty("");
    private final StringProperty failureTail = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private volatile MessageStream<JsonMessage> stream;
    private volatile boolean cancelRequested;
    private BuildLog log;

    public BuildWizardModel(AppServices services, Supplier<Optional<String>> hubUser) {
        this.services = services;
        this.hubUser = hubUser;
    }

    // ------------------------------------------------------------------ step 1

    /** Takes a context folder: finds its Dockerfile and parses it. */
    public void chooseContext(Path dir) {
        context.set(dir.toAbsolutePath().normalize().toString());
        error.set("");
        Path found = null;
        for (String n : DOCKERFILE_NAMES) {
            if (Files.isRegularFile(dir.resolve(n))) {
                found = dir.resolve(n);
                break;
            }
        }
        if (found == null) {
            dockerfile.set("");
            dockerfileText.set("");
            parseError.set("No Dockerfile in " + dir + ": pick one.");
            parseErrorLine.set(0);
            return;
        }
        chooseDockerfile(found);
    }

    public void chooseDockerfile(Path file) {
        dockerfile.set(file.toAbsolutePath().normalize().toString());
        try {
            dockerfileText.set(Files.readString(file));
        } catch (IOException e) {
            dockerfileText.set("");
            parseError.set("Cannot read " + file + ": " + e.getMessage());
            parseErrorLine.set(0);
            return;
        }
        reparse();
    }

    /** Parses the Dockerfile text again (after a change on disk, or "Back to edit"). */
    public void reparse() {
        DockerfileInfo info = DockerfileInfo.parse(dockerfileText.get());
        parseError.set(info.ok() ? "" : info.error());
        parseErrorLine.set(info.errorLine());
        stages.setAll(info.stages());
        if (!target.get().isEmpty() && !info.stages().contains(target.get())) {
            target.set("");
        }
        Map<String, String> previous = new LinkedHashMap<>();
        args.forEach(a -> previous.put(a.name(), a.valueProperty().get()));
        List<ArgRow> rows = new ArrayList<>();
        info.args().forEach((k, v) -> {
            String shown = unquote(v);
            rows.add(new ArgRow(k, shown, previous.getOrDefault(k, shown)));
        });
        args.setAll(rows);
        if (tags.isEmpty() && !context.get().isEmpty()) {
            tags.setAll(defaultTags(Path.of(context.get()).getFileName().toString(), hubUser.get()));
        }
    }

    /** An ARG default as the build sees it when nothing is passed: {@code "hello"} is hello. */
    static String unquote(String raw) {
        if (raw.length() >= 2 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'') && raw.charAt(raw.length() - 1) == raw.charAt(0)) {
            String inner = raw.substring(1, raw.length() - 1);
            return raw.charAt(0) == '"' ? inner.replaceAll("\\\\([\"\\\\$`])", "$1") : inner;
        }
        return raw;
    }

    public boolean canContinue() {
        return !context.get().isEmpty() && !dockerfile.get().isEmpty() && parseError.get().isEmpty();
    }

    /** A repository name from a folder name: docker's rules (lower case, [a-z0-9._-], no leading separator). */
    static String repositoryName(String folder) {
        String s = folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[._-]+|[._-]+$", "");
        return s.isEmpty() ? "image" : s;
    }

    static List<String> defaultTags(String folder, Optional<String> hubUser) {
        String name = repositoryName(folder);
        List<String> out = new ArrayList<>();
        out.add(name + ":latest");
        hubUser.ifPresent(u -> out.add("docker.io/" + u.toLowerCase(Locale.ROOT) + "/" + name + ":latest"));
        return out;
    }

    public void next() {
        if (page.get() == Page.SOURCE && canContinue()) {
            page.set(Page.OPTIONS);
        }
    }

    public void back() {
        if (page.get() == Page.OPTIONS) {
            page.set(Page.SOURCE);
        }
    }

    /** From a failed build back to step 1, the Dockerfile read again from disk. */
    public void backToEdit() {
        if (!dockerfile.get().isEmpty()) {
            chooseDockerfile(Path.of(dockerfile.get()));
        }
        page.set(Page.SOURCE);
    }

    // ------------------------------------------------------------------ step 3

    BuildClient.Options request() {
        Map<String, String> a = new LinkedHashMap<>();
        args.forEach(r -> {
            if (r.changed()) {
                a.put(r.name(), r.valueProperty().get());
            }
        });
        String relative = relativeDockerfile(Path.of(context.get()));
        // rm and forcerm as docker build: no intermediate container outlives its step
        return new BuildClient.Options(tags.stream().map(String::strip).filter(t -> !t.isEmpty()).toList(),
                relative == null ? outsideName : relative, a,
                Map.of(), target.get(), noCache.get(), pull.get(), false, true, true, null, null);
    }

    /**
     * A Dockerfile outside the context travels inside the context tar under this name, as the docker
     * CLI sends it ({@code .dockerfile.<random hex>}, which no real file of the context can clash with).
     */
    private final String outsideName = ".dockerfile." + java.util.HexFormat.of().formatHex(randomBytes());

    private static byte[] randomBytes() {
        byte[] b = new byte[10];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    /** The Dockerfile's path inside the context (slash-separated), or null when it lies outside. */
    private String relativeDockerfile(Path ctx) {
        Path df = Path.of(dockerfile.get());
        return df.startsWith(ctx) ? ctx.relativize(df).toString().replace('\\', '/') : null;
    }

    /** Whether the Dockerfile lies outside the context folder (it is then sent inside the context tar). */
    public boolean dockerfileOutsideContext() {
        return !context.get().isEmpty() && !dockerfile.get().isEmpty() && relativeDockerfile(Path.of(context.get())) == null;
    }

    /** Starts the build; progress arrives through the executor's UI thread. */
    public void start() {
        if (running.get() || !canContinue()) {
            return;
        }
        BuildClient.Options req = request();
        Path ctx = Path.of(context.get());
        boolean outside = dockerfileOutsideContext();
        Path dockerfilePath = Path.of(dockerfile.get());
        page.set(Page.BUILD);
        running.set(true);
        result.set(null);
        cancelRequested = false;
        steps.clear();
        logText.set("");
        progress.set(0.0);
        progressText.set("Sending the build context…");
        imageId.set("");
        imageSize.set("");
        failedStep.set("");
        failureTail.set("");
        error.set("");
        log = new BuildLog(System::currentTimeMillis);
        BuildLog thisLog = log;
        long started = System.currentTimeMillis();
        services.ui().background(() -> {
            // The context goes through a temporary tar rather than a pipe: a folder that cannot be read
            // fails here with its own message, not as a truncated upload the engine reports.
            Path tar = Files.createTempFile("berth-context-", ".tar");
            MessageStream<JsonMessage> s;
            try {
                try (OutputStream out = Files.newOutputStream(tar)) {
                    // as docker build sends it: .dockerignore applied, the Dockerfile always included
                    if (outside) {
                        new BuildContextTar(ctx, null, req.dockerfile(), Files.readAllBytes(dockerfilePath)).write(out);
                    } else {
                        new BuildContextTar(ctx, req.dockerfile(), null, null).write(out);
                    }
                }
                try (InputStream in = Files.newInputStream(tar)) {
                    s = services.engine().client().builds().build(in, req, null, sent -> { });
                }
            } finally {
                Files.deleteIfExists(tar);
            }
            stream = s;
            if (cancelRequested) {
                s.close();
            }
            String id = null;
            try (s) {
                while (s.hasNext()) {
                    JsonMessage m = s.next();
                    if (m.aux() != null && m.aux().hasNonNull("ID")) {
                        id = m.aux().get("ID").asText();
                    }
                    if (m.stream() != null) {
                        String text = m.stream();
                        services.ui().onUi(() -> onText(thisLog, text));
                    }
                }
            }
            if (id == null) {
                throw new IllegalStateException(cancelRequested ? "cancelled" : "the build ended without an image ID");
            }
            long size = services.engine().client().inspectImage(id).size();
            return new String[] {id, Long.toString(size)};
        }, done -> finish(thisLog, req, started, Result.SUCCEEDED, done[0], Long.parseLong(done[1]), null),
                e -> finish(thisLog, req, started, cancelRequested ? Result.CANCELLED : Result.FAILED, null, 0, e));
    }

    private void onText(BuildLog l, String text) {
        l.accept(text);
        logText.set(l.text());
        refreshSteps(l);
    }

    private void refreshSteps(BuildLog l) {
        List<BuildLog.Step> s = l.steps();
        steps.setAll(s);
        if (!s.isEmpty()) {
            BuildLog.Step cur = s.getLast();
            progress.set(cur.total() == 0 ? 0.0 : (double) (cur.done() ? cur.number() : cur.number() - 1) / cur.total());
            progressText.set("Step " + cur.number() + " of " + cur.total());
        }
    }

    /** Cancel: closing the request makes the engine kill the step's container and keep nothing. */
    public void cancel() {
        MessageStream<JsonMessage> s = stream;
        if (running.get()) {
            cancelRequested = true;
            if (s != null) {
                s.close();
            }
        }
    }

    /** Updates elapsed times of the running step; the view calls it on a timer. */
    public void tick() {
        if (running.get() && log != null) {
            refreshSteps(log);
        }
    }

    private void finish(BuildLog l, BuildClient.Options req, long started, Result r, String id, long size, Throwable e) {
        l.end();
        running.set(false);
        stream = null;
        refreshSteps(l);
        long duration = System.currentTimeMillis() - started;
        if (r == Result.SUCCEEDED) {
            imageId.set(id);
            imageSize.set(Sizes.human(size));
            progress.set(1.0);
            progressText.set("Built in " + seconds(duration) + (l.cacheHits() > 0 ? " (" + l.cacheHits() + " cached steps)" : ""));
        } else if (r == Result.CANCELLED) {
            progressText.set("Cancelled");
        } else {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            error.set(message);
            Optional<BuildLog.Step> cur = l.current();
            failedStep.set(cur.map(s -> "Step " + s.number() + "/" + s.total() + " : " + s.instruction()).orElse("Before the first step"));
            List<String> out = cur.map(BuildLog.Step::output).orElse(List.of());
            List<String> tail = new ArrayList<>(out.subList(Math.max(0, out.size() - TAIL_LINES), out.size()));
            tail.add(message);
            failureTail.set(String.join("\n", tail));
            progressText.set("Failed");
        }
        String logged = l.text() + (e != null && r == Result.FAILED ? "ERROR: " + error.get() + "\n" : "");
        try {
            services.catalog().addBuild(new BuildRecord(0, started, req.tags().isEmpty() ? context.get() : context.get(),
                    dockerfile.get(), req.tags(), req.buildArgs(), req.target(), req.noCache(), req.pull(),
                    r.name().toLowerCase(Locale.ROOT), id, duration, logged));
        } catch (RuntimeException ex) {
            error.set(error.get().isEmpty() ? "Not saved in the build history: " + ex.getMessage() : error.get());
        }
        page.set(r == Result.CANCELLED ? Page.OPTIONS : Page.RESULT);
        // Last, so whoever waits for the result (the Builds view, a test polling from another thread) finds the
        // history record and the page already in place.
        result.set(r);
    }

    /** Loads a recorded build's settings (for "run again"). */
    public void load(BuildRecord b) {
        tags.setAll(b.tags());
        chooseContextKeepingTags(Path.of(b.context()), Path.of(b.dockerfile()));
        args.forEach(a -> {
            if (b.buildArgs().containsKey(a.name())) {
                a.valueProperty().set(b.buildArgs().get(a.name()));
            }
        });
        target.set(b.target());
        noCache.set(b.noCache());
        pull.set(b.pull());
        page.set(canContinue() ? Page.OPTIONS : Page.SOURCE);
    }

    private void chooseContextKeepingTags(Path ctx, Path df) {
        context.set(ctx.toString());
        chooseDockerfile(df);
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    // ------------------------------------------------------------------ properties

    public ObjectProperty<Page> pageProperty() { return page; }
    public StringProperty contextProperty() { return context; }
    public StringProperty dockerfileProperty() { return dockerfile; }
    public StringProperty dockerfileTextProperty() { return dockerfileText; }
    public StringProperty parseErrorProperty() { return parseError; }
    public IntegerProperty parseErrorLineProperty() { return parseErrorLine; }
    public ObservableList<String> tags() { return tags; }
    public ObservableList<ArgRow> args() { return args; }
    public ObservableList<String> stages() { return stages; }
    public StringProperty targetProperty() { return target; }
    public BooleanProperty noCacheProperty() { return noCache; }
    public BooleanProperty pullProperty() { return pull; }
    public ObservableList<BuildLog.Step> steps() { return steps; }
    public StringProperty logTextProperty() { return logText; }
    public StringProperty progressTextProperty() { return progressText; }
    public ObjectProperty<Double> progressProperty() { return progress; }
    public BooleanProperty runningProperty() { return running; }
    public ObjectProperty<Result> resultProperty() { return result; }
    public StringProperty imageIdProperty() { return imageId; }
    public StringProperty imageSizeProperty() { return imageSize; }
    public StringProperty failedStepProperty() { return failedStep; }
    public StringProperty failureTailProperty() { return failureTail; }
    public StringProperty errorProperty() { return error; }

    /** The first tag, else the image ID: what Run and Push start from. */
    public String imageRef() {
        return tags.stream().map(String::strip).filter(t -> !t.isEmpty()).findFirst().orElse(imageId.get());
    }
}
