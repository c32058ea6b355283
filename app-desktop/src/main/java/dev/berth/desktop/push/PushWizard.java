package dev.berth.desktop.push;

import dev.berth.desktop.core.AppServices;
import dev.berth.registry.CredentialStore;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * "Push to Docker Hub": the four steps of {@link PushWizardModel} as pages in one window. Node ids
 * are stable for tests ({@code push-*}).
 */
public final class PushWizard extends Stage {
    final PushWizardModel model;
    final BorderPane root = new BorderPane();

    /**
     * Opens the wizard, pre-filled with {@code imageRef} when given (the build wizard's success page
     * passes the image it built). Uses docker's own credential configuration.
     */
    public static PushWizard open(Window owner, AppServices services, String imageRef) {
        return open(owner, services, imageRef, CredentialStore.fromEnvironment());
    }

    /** As {@link #open(Window, AppServices, String)}, with the credential store the caller uses. */
    public static PushWizard open(Window owner, AppServices services, String imageRef, CredentialStore credentials) {
        return open(owner, services, imageRef, credentials, null);
    }

    /** As above, starting on {@code registry} (from the registries view) unless the image names a listed one. */
    public static PushWizard open(Window owner, AppServices services, String imageRef, CredentialStore credentials,
                                  String registry) {
        PushWizardModel model = new PushWizardModel(
                new EngineBackend(services.engine().client(), services.catalog(), credentials), services.ui());
        PushWizard w = new PushWizard(owner, model);
        model.load(imageRef, registry);
        w.show();
        return w;
    }

    public PushWizard(Window owner, PushWizardModel model) {
        this.model = model;
        if (owner != null) {
            initOwner(owner);
        }
        setTitle("Push to Docker Hub");
        root.setId("push-wizard");
        root.setPadding(new Insets(14));

        Label title = new Label();
        title.setId("push-title");
        title.setStyle("-fx-font-size: 1.3em; -fx-font-weight: bold;");
        title.textProperty().bind(Bindings.createStringBinding(() -> switch (model.stepProperty().get()) {
            case IMAGE -> "1 of 4 · Choose a local image";
            case TARGET -> "2 of 4 · Where to push it";
            case SIGN_IN -> "3 of 4 · Sign in to " + model.registryProperty().get();
            case PUSH -> "4 of 4 · Push";
        }, model.stepProperty(), model.registryProperty()));
        root.setTop(new VBox(4, title));
        BorderPane.setMargin(root.getTop(), new Insets(0, 0, 10, 0));

        Node[] pages = {imagePage(), targetPage(), signInPage(), pushPage()};
        StackPane center = new StackPane(pages);
        root.setCenter(center);
        Runnable showPage = () -> {
            for (int i = 0; i < pages.length; i++) {
                pages[i].setVisible(i == model.stepProperty().get().ordinal());
            }
        };
        model.stepProperty().addListener((o, a, b) -> showPage.run());
        showPage.run();

        Label message = new Label();
        message.setId("push-message");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.setMaxWidth(Double.MAX_VALUE);
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(18, 18);
        spinner.visibleProperty().bind(model.busyProperty());
        Button back = new Button("Back");
        back.setId("push-back");
        back.setOnAction(e -> model.back());
        back.disableProperty().bind(model.stepProperty().isEqualTo(PushWizardModel.Step.IMAGE).or(model.busyProperty()));
        Button next = new Button("Next");
        next.setId("push-next");
        next.setDefaultButton(true);
        next.setOnAction(e -> model.next());
        next.disableProperty().bind(model.busyProperty().or(model.stepProperty().isEqualTo(PushWizardModel.Step.SIGN_IN))
                .or(model.stepProperty().isEqualTo(PushWizardModel.Step.PUSH)));
        next.textProperty().bind(Bindings.when(model.stepProperty().isEqualTo(PushWizardModel.Step.TARGET))
                .then("Push").otherwise("Next"));
        Button close = new Button("Close");
        close.setId("push-close");
        close.setCancelButton(true);
        close.setOnAction(e -> close());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, spinner, gap, back, next, close);
        VBox bottom = new VBox(8, message, buttons);
        bottom.setPadding(new Insets(10, 0, 0, 0));
        root.setBottom(bottom);
        setScene(new Scene(root, 640, 480));
    }

    private Node imagePage() {
        ListView<String> images = new ListView<>(model.images());
        images.setId("push-images");
        images.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && !b.equals(model.imageProperty().get())) {
                model.chooseImage(b);
            }
        });
        model.imageProperty().addListener((o, a, b) -> {
            if (b != null && !b.equals(images.getSelectionModel().getSelectedItem())) {
                images.getSelectionModel().select(b);
            }
        });
        images.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                model.next();
            }
        });
        VBox page = new VBox(8, new Label("The image to push, by its current name:"), images);
        VBox.setVgrow(images, Priority.ALWAYS);
        return page;
    }

    private Node targetPage() {
        ComboBox<String> registry = new ComboBox<>(model.registries());
        registry.setId("push-registry");
        registry.valueProperty().bindBidirectional(model.registryProperty());
        TextField repository = new TextField();
        repository.setId("push-repository");
        repository.textProperty().bindBidirectional(model.repositoryProperty());
        TextField tag = new TextField();
        tag.setId("push-tag");
        tag.textProperty().bindBidirectional(model.tagProperty());
        Label preview = new Label();
        preview.setId("push-preview");
        preview.setStyle("-fx-font-family: monospace;");
        preview.textProperty().bind(model.targetPreviewProperty());
        Label who = new Label();
        who.setId("push-who");
        who.textProperty().bind(Bindings.createStringBinding(() -> model.userProperty().get() == null
                        ? "Not signed in to " + model.registryProperty().get() + ": the next step signs you in."
                        : "Signed in as " + model.userProperty().get() + ".",
                model.userProperty(), model.registryProperty()));
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.addRow(0, new Label("Registry"), registry);
        g.addRow(1, new Label("Repository"), repository);
        g.addRow(2, new Label("Tag"), tag);
        g.addRow(3, new Label("Pushes as"), preview);
        GridPane.setHgrow(repository, Priority.ALWAYS);
        return new VBox(10, new Label("Docker Hub pushes go to your namespace: docker.io/<user>/<repository>."), g, who);
    }

    private Node signInPage() {
        TextField user = new TextField();
        user.setId("push-user");
        user.setPromptText("User name");
        PasswordField password = new PasswordField();
        password.setId("push-password");
        password.setPromptText("Password or access token");
        Button signIn = new Button("Sign in and push");
        signIn.setId("push-signin");
        signIn.disableProperty().bind(model.busyProperty());
        signIn.setOnAction(e -> {
            String p = password.getText();
            password.clear();
            model.signIn(user.getText(), p);
        });
        password.setOnAction(e -> signIn.fire());
        Label why = new Label();
        why.setWrapText(true);
        why.textProperty().bind(Bindings.concat("Pushing needs a login for ", model.registryProperty(),
                ". Credentials go to docker's config (or its credential helper), never to Berth's own files."));
        return new VBox(10, why, user, password, signIn);
    }

    private Node pushPage() {
        Label status = new Label();
        status.setId("push-status");
        status.textProperty().bind(model.statusProperty());
        ListView<PushWizardModel.Layer> layers = new ListView<>(model.layers());
        layers.setId("push-layers");
        layers.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(PushWizardModel.Layer layer, boolean empty) {
                super.updateItem(layer, empty);
                if (empty || layer == null) {
                    setText(null);
                    return;
                }
                String mark = switch (layer.kind()) {
                    case PUSHED -> "✔ ";
                    case EXISTS -> "= ";
                    case MOUNTED -> "⇄ ";
                    case WAITING -> "… ";
                    case PUSHING -> "↑ ";
                };
                setText(mark + layer.id() + "  " + layer.status());
            }
        });
        Label digest = new Label();
        digest.setId("push-digest");
        digest.textProperty().bind(Bindings.createStringBinding(() -> model.digestProperty().get() == null ? ""
                : "Digest: " + model.digestProperty().get(), model.digestProperty()));
        TextField command = new TextField();
        command.setId("push-pull-command");
        command.setEditable(false);
        command.textProperty().bind(model.pullCommandProperty());
        Button copy = new Button("Copy");
        copy.setId("push-copy");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(command.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        HBox pull = new HBox(6, command, copy);
        HBox.setHgrow(command, Priority.ALWAYS);
        pull.visibleProperty().bind(model.doneProperty());
        Button retry = new Button("Retry");
        retry.setId("push-retry");
        retry.visibleProperty().bind(model.retryableProperty());
        retry.disableProperty().bind(model.busyProperty());
        retry.setOnAction(e -> model.retry());
        VBox page = new VBox(8, status, layers, digest, pull, retry);
        VBox.setVgrow(layers, Priority.ALWAYS);
        return page;
    }
}
