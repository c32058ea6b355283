package dev.berth.desktop.registries;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.RepositoryListing;
import dev.berth.registry.TagDetails;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/**
 * Registries: the list (Docker Hub first), sign-in inline, and browsing repositories, tags and a
 * tag's details, with pull, copy reference and delete. Node ids are stable for tests.
 */
public final class RegistriesView extends BorderPane {
    private final RegistriesModel model;
    private final AppServices services;
    private final UiExecutor ui;
    final ListView<RegistriesModel.Row> registries = new ListView<>();
    final ListView<String> repositories = new ListView<>();
    final ListView<String> tags = new ListView<>();
    final Label details = new Label();
    final Label status = new Label();
    final TextField search = new TextField();
    final Label insecureWarning = new Label();
    final Label rateLimit = new Label();
    final ListView<dev.berth.desktop.images.PullProgress.Layer> pullLayers = new ListView<>();
    /** Loads the next page of repositories or tags; shown only while the registry has one. */
    final Button moreRepositories = new Button("More repositories");
    final Button moreTags = new Button("More tags");
    private String nextRepositories;
    private String browsedHost;
    private String nextTags;

    public RegistriesView(AppServices services) {
        this(services, new RegistriesModel(new RegistryList(services.catalog()), services.engine().client(),
                CredentialStore.fromEnvironment()));
    }

    public RegistriesView(AppServices services, RegistriesModel model) {
        this.services = services;
        this.model = model;
        this.ui = services.ui();
        setId("registries-view");
        registries.setId("registries-list");
        repositories.setId("registries-repositories");
        tags.setId("registries-tags");
        details.setId("registries-details");
        status.setId("registries-status");
        status.setWrapText(true);
        search.setId("registries-search");
        search.setPromptText("Search repositories by name");
        search.setVisible(false); // offered where a registry refuses to list its repositories
        search.setManaged(false);
        registries.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(RegistriesModel.Row r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : r.registry().host() + "  ·  " + r.registry().tlsMode() + "  ·  "
                        + (r.user() == null ? "not signed in" : r.user().isEmpty() ? "signed in" : "signed in as " + r.user())
                        + (r.warning() == null ? "" : "  ⚠ " + r.warning())
                        + (r.problem() == null ? "" : "  ⚠ " + r.problem()));
            }
        });

        TextField address = new TextField();
        address.setId("registries-address");
        address.setPromptText("localhost:5000, ghcr.io, quay.io…");
        CheckBox insecure = new CheckBox("Insecure (do not check TLS)");
        insecure.setId("registries-insecure");
        insecureWarning.setId("registries-insecure-warning");
        insecureWarning.setWrapText(true);
        insecureWarning.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> RegistriesModel.insecureWarning(address.getText(), insecure.isSelected()),
                address.textProperty(), insecure.selectedProperty()));
        rateLimit.setId("registries-ratelimit");
        pullLayers.setId("registries-pull-layers");
        pullLayers.setPrefHeight(110);
        pullLayers.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(dev.berth.desktop.images.PullProgress.Layer l, boolean empty) {
                super.updateItem(l, empty);
                setText(empty || l == null ? null : l.id() + "  " + l.status()
                        + (l.fraction() > 0 && l.fraction() < 1 ? String.format("  %.0f%%", l.fraction() * 100) : ""));
            }
        });
        Button add = new Button("Add");
        add.setId("registries-add");
        add.setOnAction(e -> run(() -> model.add(address.getText(), insecure.isSelected()), r -> {
            address.clear();
            refresh();
        }));
        Button remove = new Button("Remove");
        remove.setId("registries-remove");
        remove.setOnAction(e -> selectedHost(h -> run(() -> { model.remove(h); return null; }, x -> refresh())));

        TextField user = new TextField();
        user.setId("registries-user");
        user.setPromptText("User name");
        PasswordField password = new PasswordField();
        password.setId("registries-password");
        password.setPromptText("Password or access token");
        Button signIn = new Button("Sign in");
        signIn.setId("registries-signin");
        signIn.setOnAction(e -> selectedHost(h -> {
            String u = user.getText();
            String p = password.getText();
            password.clear();
            run(() -> model.signIn(h, u, p), s -> {
                status.setText(s + " to " + h);
                refresh();
            });
        }));
        Button signOut = new Button("Sign out");
        signOut.setId("registries-signout");
        signOut.setOnAction(e -> selectedHost(h -> run(() -> { model.signOut(h); return null; }, x -> refresh())));

        Button browse = new Button("Browse");
        browse.setId("registries-browse");
        browse.setOnAction(e -> selectedHost(this::browse));
        search.setOnAction(e -> selectedHost(h -> {
            String q = search.getText();
            run(() -> model.search(h, q), list -> {
                repositories.getItems().setAll(list);
                moreRepositories(null);
                if (list.isEmpty()) {
                    status.setText("No repository matching \"" + q.strip() + "\" on " + h + ".");
                }
            });
        }));
        moreRepositories.setId("registries-more-repositories");
        moreRepositories.setOnAction(e -> selectedHost(h -> {
            String next = nextRepositories;
            if (next != null) {
                run(() -> model.repositoriesAt(h, next), page -> {
                    repositories.getItems().addAll(page.items());
                    moreRepositories(page.next().orElse(null));
                });
            }
        }));
        moreTags.setId("registries-more-tags");
        moreTags.setOnAction(e -> {
            String repo = repositories.getSelectionModel().getSelectedItem();
            String next = nextTags;
            if (repo != null && next != null) {
                selectedHost(h -> run(() -> model.tagsPage(h, repo, next), page -> {
                    if (repo.equals(repositories.getSelectionModel().getSelectedItem())) {
                        tags.getItems().addAll(page.items());
                        moreTags(page.next().orElse(null));
                    }
                }));
            }
        });
        moreRepositories(null);
        moreTags(null);

        repositories.getSelectionModel().selectedItemProperty().addListener((o, a, repo) -> {
            tags.getItems().clear();
            moreTags(null);
            details.setText("");
            if (repo != null) {
                selectedHost(h -> run(() -> model.tagsPage(h, repo, null), page -> {
                    if (repo.equals(repositories.getSelectionModel().getSelectedItem())) {
                        tags.getItems().setAll(page.items());
                        moreTags(page.next().orElse(null));
                    }
                }));
            }
        });
        tags.getSelectionModel().selectedItemProperty().addListener((o, a, tag) -> {
            if (tag != null) {
                selectedHost(h -> run(() -> model.details(h, repositories.getSelectionModel().getSelectedItem(), tag),
                        d -> details.setText(describe(d))));
            }
        });
        Button pull = new Button("Pull");
        pull.setId("registries-pull");
        pull.setOnAction(e -> withTag((h, repo, tag) -> {
            dev.berth.desktop.images.PullProgress progress = new dev.berth.desktop.images.PullProgress();
            pullLayers.setItems(progress.layers());
            String ref = RegistriesModel.reference(h, repo, tag);
            run(() -> model.pullMessages(services.engine().client(), h, ref, m -> ui.onUi(() -> {
                progress.accept(m);
                status.setText(progress.statusProperty().get());
            })), s -> status.setText("Pulled " + ref + ": " + s));
        }));
        Button push = new Button("Push…");
        push.setId("registries-push");
        push.setOnAction(e -> {
            String repo = repositories.getSelectionModel().getSelectedItem();
            String tag = tags.getSelectionModel().getSelectedItem();
            RegistriesModel.Row row = registries.getSelectionModel().getSelectedItem();
            String host = row == null ? null : row.registry().host();
            String ref = host != null && repo != null && tag != null ? RegistriesModel.reference(host, repo, tag) : null;
            dev.berth.desktop.push.PushWizard.open(getScene() == null ? null : getScene().getWindow(), services, ref,
                    model.credentials(), host);
        });
        Button copy = new Button("Copy reference");
        copy.setId("registries-copy");
        copy.setOnAction(e -> withTag((h, repo, tag) -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(RegistriesModel.reference(h, repo, tag));
            Clipboard.getSystemClipboard().setContent(c);
            status.setText("Copied " + RegistriesModel.reference(h, repo, tag));
        }));
        Button delete = new Button("Delete tag");
        delete.setId("registries-delete");
        // Two presses: deleting removes the manifest by digest, so every tag on it goes, for everyone.
        String[] armed = {null};
        Runnable disarm = () -> {
            armed[0] = null;
            delete.setText("Delete tag");
        };
        tags.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> disarm.run());
        delete.setOnAction(e -> withTag((h, repo, tag) -> {
            String what = h + "/" + repo + ":" + tag;
            if (!what.equals(armed[0])) {
                armed[0] = what;
                delete.setText("Confirm delete");
                status.setText("Delete " + what + "? Every tag on the same digest goes with it, for everyone using "
                        + h + ". Press Confirm delete to go ahead.");
                return;
            }
            disarm.run();
            run(() -> model.deleteTag(h, repo, tag), d -> {
                status.setText("Deleted " + repo + "@" + d);
                tags.getItems().remove(tag);
            });
        }));

        for (Button b : new Button[] {add, remove, signIn, signOut, browse, pull, copy, delete, push}) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // labels over squeezed text fields
        }
        VBox left = new VBox(8, new Label("Registries"), registries, new HBox(6, address, insecure, add, remove),
                insecureWarning, new HBox(6, user, password, signIn, signOut), new HBox(6, browse, push));
        VBox.setVgrow(registries, Priority.ALWAYS);
        VBox repositoryColumn = new VBox(4, repositories, moreRepositories);
        VBox tagColumn = new VBox(4, tags, moreTags);
        VBox.setVgrow(repositories, Priority.ALWAYS);
        VBox.setVgrow(tags, Priority.ALWAYS);
        HBox.setHgrow(repositoryColumn, Priority.ALWAYS);
        HBox.setHgrow(tagColumn, Priority.ALWAYS);
        HBox lists = new HBox(8, repositoryColumn, tagColumn);
        VBox right = new VBox(8, search, lists, details, new HBox(6, pull, copy, delete), pullLayers, rateLimit);
        VBox.setVgrow(lists, Priority.ALWAYS);
        details.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        insecureWarning.managedProperty().bind(insecureWarning.textProperty().isNotEmpty());
        rateLimit.managedProperty().bind(rateLimit.textProperty().isNotEmpty());
        left.setPadding(new Insets(10));
        right.setPadding(new Insets(10));
        setCenter(new SplitPane(left, right));
        // Another registry chosen: what was browsed belongs to the previous one (pull, delete and copy act
        // on the selected registry). A refresh re-selecting the same one keeps it.
        registries.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            if (row != null && browsedHost != null && !row.registry().host().equals(browsedHost)) {
                browsedHost = null;
                repositories.getItems().clear();
                tags.getItems().clear();
                moreRepositories(null);
                moreTags(null);
                details.setText("");
                search.setVisible(false);
                search.setManaged(false);
            }
        });
        setBottom(status);
        BorderPane.setMargin(status, new Insets(6, 10, 6, 10));
        refresh();
    }

    private void moreRepositories(String next) {
        nextRepositories = next;
        moreRepositories.setVisible(next != null);
        moreRepositories.setManaged(next != null);
    }

    private void moreTags(String next) {
        nextTags = next;
        moreTags.setVisible(next != null);
        moreTags.setManaged(next != null);
    }

    private void browse(String host) {
        browsedHost = host;
        repositories.getItems().clear();
        tags.getItems().clear();
        moreRepositories(null);
        moreTags(null);
        details.setText("");
        run(() -> model.repositories(host), listing -> {
            if (listing instanceof RepositoryListing.Listed l) {
                repositories.getItems().setAll(l.page().items());
                moreRepositories(l.page().next().orElse(null));
                search.setVisible(false);
                search.setManaged(false);
            } else if (listing instanceof RepositoryListing.Refused r) {
                status.setText(r.reason());
                search.setVisible(true);
                search.setManaged(true);
                search.requestFocus();
            }
        });
    }

    static String describe(TagDetails d) {
        return "Digest: " + d.digest() + "\nSize: " + dev.berth.engine.format.Units.humanSize(d.size())
                + (d.isMultiPlatform() ? "\nPlatforms: " + String.join(", ", d.platforms()) : "")
                + d.created().map(c -> "\nCreated: " + DateTimeFormatter.ISO_LOCAL_DATE_TIME
                        .format(c.atOffset(ZoneOffset.UTC)) + " UTC").orElse("");
    }

    public void refresh() {
        String selected = registries.getSelectionModel().getSelectedItem() == null ? null
                : registries.getSelectionModel().getSelectedItem().registry().host();
        ui.background(model::rows, rows -> {
            registries.getItems().setAll(rows);
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).registry().host().equals(selected)) {
                    registries.getSelectionModel().select(i);
                }
            }
        }, e -> status.setText(e.getMessage()));
    }

    private void selectedHost(java.util.function.Consumer<String> action) {
        RegistriesModel.Row r = registries.getSelectionModel().getSelectedItem();
        if (r == null) {
            status.setText("Choose a registry first.");
            return;
        }
        action.accept(r.registry().host());
    }

    private interface TagAction {
        void run(String host, String repository, String tag);
    }

    private void withTag(TagAction a) {
        String repo = repositories.getSelectionModel().getSelectedItem();
        String tag = tags.getSelectionModel().getSelectedItem();
        if (repo == null || tag == null) {
            status.setText("Choose a repository and a tag first.");
            return;
        }
        selectedHost(h -> a.run(h, repo, tag));
    }

    private <T> void run(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> done) {
        status.setText("");
        ui.background(work, r -> {
            done.accept(r);
            showRateLimit();
        }, e -> {
            status.setText(e.getMessage());
            showRateLimit();
        });
    }

    private void showRateLimit() {
        RegistriesModel.Row r = registries.getSelectionModel().getSelectedItem();
        rateLimit.setText(r == null ? "" : model.rateLimit(r.registry().host())
                .map(q -> "Pull quota left on " + r.registry().host() + ": " + q).orElse(""));
    }
}
