package dev.berth.desktop.build;

import dev.berth.desktop.containers.RunContainerDialog;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.push.PushWizard;
import dev.berth.registry.CredentialStore;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

/** The "Build from a Dockerfile" wizard: four pages bound to a {@link BuildWizardModel}. */
public final class BuildWizardView extends BorderPane {
    private final BuildWizardModel model;
    private final AppServices services;
    private final CredentialStore credentials;
    private final Timeline ticker;

    public BuildWizardView(AppServices services, BuildWizardModel model) {
        this(services, model, CredentialStore.fromEnvironment());
    }

    /** As above; Push… signs in and pushes with {@code credentials} (the registries view's store). */
    public BuildWizardView(AppServices services, BuildWizardModel model, CredentialStore credentials) {
        this.services = services;
        this.model = model;
        this.credentials = credentials;
        setId("build-wizard");
        setPadding(new Insets(12));
        Label title = new Label();
        title.setId("build-title");
        title.getStyleClass().add("title-3");
        title.textProperty().bind(model.pageProperty().map(p -> switch (p) {
            case SOURCE -> "1 · Context and Dockerfile";
            case OPTIONS -> "2 · Tags, build args and options";
            case BUILD -> "3 · Building";
            case RESULT -> "4 · Result";
        }));
        setTop(title);
        StackPane pages = new StackPane(sourcePage(), optionsPage(), buildPage(), resultPage());
        setCenter(pages);
        BorderPane.setMargin(pages, new Insets(10, 0, 0, 0));
        ticker = new Timeline(new KeyFrame(Duration.millis(250), e -> model.tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();
    }

    /** Opens the wizard in its own window. */
    public static BuildWizardView open(AppServices services, BuildWizardModel model) {
        return open(services, model, CredentialStore.fromEnvironment());
    }

    /** As above, with the credential store the rest of the app uses. */
    public static BuildWizardView open(AppServices services, BuildWizardModel model, CredentialStore credentials) {
        BuildWizardView view = new BuildWizardView(services, model, credentials);
        Stage stage = new Stage();
        stage.setTitle("Build from a Dockerfile");
        stage.setScene(new Scene(view, 900, 640));
        stage.setOnHidden(e -> {
            view.ticker.stop();
            model.cancel();
        });
        stage.show();
        return view;
    }

    public static BuildWizardModel newModel(AppServices services) {
        return newModel(services, CredentialStore.fromEnvironment());
    }

    /** A model whose default tags include {@code docker.io/<user>/…} when {@code credentials} hold a Hub login. */
    public static BuildWizardModel newModel(AppServices services, CredentialStore credentials) {
        return new BuildWizardModel(services, () -> {
            try {
                return dev.berth.desktop.registries.SignedIn.user(credentials,
                        new dev.berth.desktop.registries.RegistryList(services.catalog()), "docker.io").filter(u -> !u.isEmpty());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    private VBox page(BuildWizardModel.Page p, String id) {
        VBox box = new VBox(8);
        box.setId(id);
        box.visibleProperty().bind(model.pageProperty().isEqualTo(p));
        return box;
    }

    private VBox sourcePage() {
        VBox box = page(BuildWizardModel.Page.SOURCE, "build-page-source");
        TextField context = new TextField();
        context.setId("build-context");
        context.setPromptText("/path/to/project");
        HBox.setHgrow(context, Priority.ALWAYS);
        model.contextProperty().addListener((o, a, b) -> context.setText(b));
        context.setOnAction(e -> model.chooseContext(Path.of(context.getText().strip())));
        Button browse = new Button("Choose folder…");
        browse.setId("build-choose-context");
        browse.setOnAction(e -> {
            File f = new DirectoryChooser().showDialog(getScene().getWindow());
            if (f != null) {
                model.chooseContext(f.toPath());
            }
        });
        TextField dockerfile = new TextField();
        dockerfile.setId("build-dockerfile");
        dockerfile.setEditable(false);
        dockerfile.textProperty().bind(model.dockerfileProperty());
        HBox.setHgrow(dockerfile, Priority.ALWAYS);
        Button pick = new Button("Pick Dockerfile…");
        pick.setId("build-pick-dockerfile");
        pick.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            if (!model.contextProperty().get().isEmpty()) {
                fc.setInitialDirectory(new File(model.contextProperty().get()));
            }
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) {
                model.chooseDockerfile(f.toPath());
            }
        });
        Label outside = new Label();
        outside.setId("build-dockerfile-note");
        outside.setWrapText(true);
        outside.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> model.dockerfileOutsideContext() ? "This Dockerfile is outside the context folder: it is sent with "
                        + "the context, as docker build -f does." : "",
                model.contextProperty(), model.dockerfileProperty()));
        outside.managedProperty().bind(outside.textProperty().isNotEmpty());
        TextFlow preview = new TextFlow();
        preview.setId("build-preview");
        preview.setPadding(new Insets(8));
        preview.setStyle("-fx-background-color: -color-bg-subtle;");
        Runnable render = () -> render(preview);
        model.dockerfileTextProperty().addListener((o, a, b) -> render.run());
        model.parseErrorLineProperty().addListener((o, a, b) -> render.run());
        ScrollPane scroll = new ScrollPane(preview);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        Label error = new Label();
        error.setId("build-parse-error");
        error.setWrapText(true);
        error.getStyleClass().add("danger");
        error.textProperty().bind(model.parseErrorProperty());
        Button next = new Button("Next");
        next.setId("build-next");
        next.getStyleClass().add("accent");
        next.disableProperty().bind(model.contextProperty().isEmpty().or(model.dockerfileProperty().isEmpty())
                .or(model.parseErrorProperty().isNotEmpty()));
        next.setOnAction(e -> model.next());
        box.getChildren().addAll(new Label("Context folder"), new HBox(8, context, browse), new Label("Dockerfile"),
                new HBox(8, dockerfile, pick), outside, scroll, error, new HBox(8, next));
        return box;
    }

    private void render(TextFlow preview) {
        preview.getChildren().clear();
        int line = 1;
        int errorLine = model.parseErrorLineProperty().get();
        Text number = lineNumber(line, errorLine);
        preview.getChildren().add(number);
        for (DockerfileHighlighter.Span s : DockerfileHighlighter.highlight(model.dockerfileTextProperty().get())) {
            Text t = new Text(s.text());
            t.setFont(Font.font("monospace", 13));
            t.getStyleClass().add("df-" + s.kind().name().toLowerCase());
            t.setFill(switch (s.kind()) {
                case INSTRUCTION -> Color.web("#0550ae");
                case COMMENT -> Color.web("#6e7781");
                case STRING -> Color.web("#0a3069");
                case VARIABLE -> Color.web("#8250df");
                case TEXT -> line == errorLine ? Color.web("#cf222e") : Color.web("#24292f");
            });
            preview.getChildren().add(t);
            if (s.text().endsWith("\n")) {
                line++;
                preview.getChildren().add(lineNumber(line, errorLine));
            }
        }
    }

    private static Text lineNumber(int line, int errorLine) {
        Text t = new Text(String.format("%3d  ", line));
        t.setFont(Font.font("monospace", 13));
        t.setFill(line == errorLine ? Color.web("#cf222e") : Color.web("#8c959f"));
        return t;
    }

    private VBox optionsPage() {
        VBox box = page(BuildWizardModel.Page.OPTIONS, "build-page-options");
        TextArea tags = new TextArea();
        tags.setId("build-tags");
        tags.setPrefRowCount(3);
        tags.setText(String.join("\n", model.tags()));
        boolean[] syncing = {false};
        model.tags().addListener((javafx.collections.ListChangeListener<String>) c -> {
            if (!syncing[0]) {
                tags.setText(String.join("\n", model.tags()));
            }
        });
        tags.textProperty().addListener((o, a, b) -> {
            syncing[0] = true;
            model.tags().setAll(b.lines().map(String::strip).filter(s -> !s.isEmpty()).toList());
            syncing[0] = false;
        });
        GridPane argGrid = new GridPane(8, 6);
        argGrid.setId("build-args");
        Runnable fillArgs = () -> {
            argGrid.getChildren().clear();
            int r = 0;
            for (BuildWizardModel.ArgRow row : model.args()) {
                TextField v = new TextField();
                v.setId("build-arg-" + row.name());
                v.textProperty().bindBidirectional(row.valueProperty());
                argGrid.addRow(r++, new Label(row.name()), v);
            }
            if (r == 0) {
                argGrid.addRow(0, new Label("The Dockerfile declares no ARG."));
            }
        };
        model.args().addListener((javafx.collections.ListChangeListener<BuildWizardModel.ArgRow>) c -> fillArgs.run());
        fillArgs.run();
        ComboBox<String> target = new ComboBox<>();
        target.setId("build-target");
        target.setPromptText("last stage");
        target.setItems(model.stages());
        target.valueProperty().bindBidirectional(model.targetProperty());
        CheckBox noCache = new CheckBox("No cache");
        noCache.setId("build-nocache");
        noCache.selectedProperty().bindBidirectional(model.noCacheProperty());
        CheckBox pull = new CheckBox("Always pull base images");
        pull.setId("build-pull");
        pull.selectedProperty().bindBidirectional(model.pullProperty());
        Button back = new Button("Back");
        back.setId("build-back");
        back.setOnAction(e -> model.back());
        Button start = new Button("Build");
        start.setId("build-start");
        start.getStyleClass().add("accent");
        start.setOnAction(e -> model.start());
        Label error = new Label();
        error.getStyleClass().add("danger");
        error.textProperty().bind(model.errorProperty());
        box.getChildren().addAll(new Label("Tags (one per line)"), tags, new Label("Build args"), argGrid,
                new Label("Target stage"), target, new HBox(16, noCache, pull), error, new HBox(8, back, start));
        return box;
    }

    private VBox buildPage() {
        VBox box = page(BuildWizardModel.Page.BUILD, "build-page-build");
        ProgressBar bar = new ProgressBar();
        bar.setId("build-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(model.progressProperty());
        Label progress = new Label();
        progress.setId("build-progress-label");
        progress.textProperty().bind(model.progressTextProperty());
        ListView<BuildLog.Step> steps = new ListView<>(model.steps());
        steps.setId("build-steps");
        steps.setPrefHeight(200);
        steps.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(BuildLog.Step s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeAll("build-step-running", "build-step-cached");
                if (empty || s == null) {
                    setText(null);
                    setStyle("");
                    return;
                }
                setText("Step " + s.number() + "/" + s.total() + "  " + s.instruction()
                        + (s.cached() ? "   [CACHED]" : "") + "   " + BuildWizardModel.seconds(s.elapsedMillis()));
                boolean current = !s.done() && model.runningProperty().get();
                setStyle(current ? "-fx-font-weight: bold; -fx-background-color: #fff8c5;"
                        : s.cached() ? "-fx-text-fill: #1a7f37;" : "");
                getStyleClass().add(current ? "build-step-running" : s.cached() ? "build-step-cached" : "build-step-done");
            }
        });
        model.steps().addListener((javafx.collections.ListChangeListener<BuildLog.Step>) c -> {
            if (!model.steps().isEmpty()) {
                steps.scrollTo(model.steps().size() - 1);
            }
        });
        TextArea log = new TextArea();
        log.setId("build-log");
        log.setEditable(false);
        log.setStyle("-fx-font-family: monospace;");
        log.textProperty().bind(model.logTextProperty());
        log.textProperty().addListener((o, a, b) -> log.setScrollTop(Double.MAX_VALUE));
        VBox.setVgrow(log, Priority.ALWAYS);
        Button cancel = new Button("Cancel build");
        cancel.setId("build-cancel");
        cancel.disableProperty().bind(model.runningProperty().not());
        cancel.setOnAction(e -> model.cancel());
        box.getChildren().addAll(progress, bar, steps, log, new HBox(8, cancel));
        return box;
    }

    private VBox resultPage() {
        VBox box = page(BuildWizardModel.Page.RESULT, "build-page-result");
        VBox ok = new VBox(8);
        ok.setId("build-success");
        ok.visibleProperty().bind(model.resultProperty().isEqualTo(BuildWizardModel.Result.SUCCEEDED));
        ok.managedProperty().bind(ok.visibleProperty());
        Label id = new Label();
        id.setId("build-result-id");
        id.textProperty().bind(model.imageIdProperty().map(s -> "Image " + s));
        Label size = new Label();
        size.setId("build-result-size");
        size.textProperty().bind(model.imageSizeProperty().map(s -> "Size " + s));
        Label summary = new Label();
        summary.textProperty().bind(model.progressTextProperty());
        Button run = new Button("Run…");
        run.setId("build-run");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> new RunContainerDialog(services, model.imageRef()).show());
        Button push = new Button("Push…");
        push.setId("build-push");
        push.setOnAction(e -> PushWizard.open(getScene().getWindow(), services, model.imageRef(), credentials));
        ok.getChildren().addAll(new Label("Built"), id, size, summary, new HBox(8, run, push));
        VBox fail = new VBox(8);
        fail.setId("build-failure");
        fail.visibleProperty().bind(model.resultProperty().isEqualTo(BuildWizardModel.Result.FAILED));
        fail.managedProperty().bind(fail.visibleProperty());
        Label step = new Label();
        step.setId("build-failure-step");
        step.getStyleClass().add("danger");
        step.textProperty().bind(model.failedStepProperty().map(s -> "Failed at " + s));
        TextArea tail = new TextArea();
        tail.setId("build-failure-tail");
        tail.setEditable(false);
        tail.setWrapText(true);
        tail.setStyle("-fx-font-family: monospace;");
        tail.textProperty().bind(model.failureTailProperty());
        Button edit = new Button("Back to edit");
        edit.setId("build-back-to-edit");
        edit.setOnAction(e -> model.backToEdit());
        fail.getChildren().addAll(step, tail, new HBox(8, edit));
        box.getChildren().addAll(ok, fail);
        return box;
    }

    public BuildWizardModel model() {
        return model;
    }
}
