package dev.berth.desktop.build;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.BuildRecord;
import dev.berth.registry.CredentialStore;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Build history with "Build from a Dockerfile…" and "Run again". */
public final class BuildsView extends BorderPane {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    public BuildsView(AppServices services) {
        this(services, CredentialStore.fromEnvironment());
    }

    /** As above; the wizards it opens sign in and push with {@code credentials}. */
    public BuildsView(AppServices services, CredentialStore credentials) {
        BuildsViewModel model = new BuildsViewModel(services, () -> BuildWizardView.newModel(services, credentials));
        setPadding(new Insets(12));
        Button build = new Button("Build from a Dockerfile…");
        build.setId("builds-new");
        build.getStyleClass().add("accent");
        Button again = new Button("Run again");
        again.setId("builds-run-again");
        Button refresh = new Button("Refresh");
        refresh.setId("builds-refresh");
        ListView<BuildRecord> list = new ListView<>(model.builds());
        list.setId("builds-list");
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(BuildRecord b, boolean empty) {
                super.updateItem(b, empty);
                setText(empty || b == null ? null : TIME.format(Instant.ofEpochMilli(b.startedMillis())) + "  " + BuildsViewModel.summary(b));
                setStyle(empty || b == null ? "" : "succeeded".equals(b.result()) ? "" : "-fx-text-fill: #cf222e;");
            }
        });
        TextArea log = new TextArea();
        log.setId("builds-log");
        log.setEditable(false);
        log.setStyle("-fx-font-family: monospace;");
        Label detail = new Label();
        detail.setWrapText(true);
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            log.setText(b == null ? "" : b.log());
            detail.setText(b == null ? "" : "Context " + b.context() + "\nDockerfile " + b.dockerfile()
                    + (b.target().isEmpty() ? "" : "\nTarget " + b.target()) + (b.imageId().isEmpty() ? "" : "\nImage " + b.imageId()));
        });
        again.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        build.setOnAction(e -> openWizard(services, credentials, model.newWizard(), model));
        again.setOnAction(e -> {
            BuildRecord b = list.getSelectionModel().getSelectedItem();
            if (b != null) {
                BuildWizardModel w = model.newWizard();
                openWizard(services, credentials, w, model);
                w.load(b);
                w.start();
            }
        });
        refresh.setOnAction(e -> model.refresh());
        setTop(new HBox(8, build, again, refresh));
        SplitPane split = new SplitPane(list, new BorderPane(log, detail, null, null, null));
        split.setDividerPositions(0.45);
        setCenter(split);
        BorderPane.setMargin(split, new Insets(10, 0, 0, 0));
        model.refresh();
    }

    private static void openWizard(AppServices services, CredentialStore credentials, BuildWizardModel w,
                                   BuildsViewModel model) {
        w.resultProperty().addListener((o, a, b) -> model.refresh());
        BuildWizardView.open(services, w, credentials);
    }
}
