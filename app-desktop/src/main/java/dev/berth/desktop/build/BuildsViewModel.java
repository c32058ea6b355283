package dev.berth.desktop.build;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.BuildRecord;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.function.Supplier;

/** The Builds view: the build history from the catalog, newest first, and "run again". */
public final class BuildsViewModel {
    static final int LIMIT = 200;

    private final AppServices services;
    private final Supplier<BuildWizardModel> wizards;
    private final ObservableList<BuildRecord> builds = FXCollections.observableArrayList();

    public BuildsViewModel(AppServices services, Supplier<BuildWizardModel> wizards) {
        this.services = services;
        this.wizards = wizards;
    }

    public void refresh() {
        services.ui().background(() -> services.catalog().builds(LIMIT), builds::setAll, e -> { });
    }

    public ObservableList<BuildRecord> builds() {
        return builds;
    }

    /** A fresh wizard model, as "Build from a Dockerfile…" opens. */
    public BuildWizardModel newWizard() {
        return wizards.get();
    }

    /** A wizard loaded with {@code b}'s settings and already building. */
    public BuildWizardModel runAgain(BuildRecord b) {
        BuildWizardModel w = wizards.get();
        w.load(b);
        w.start();
        return w;
    }

    static String summary(BuildRecord b) {
        List<String> tags = b.tags();
        return (tags.isEmpty() ? b.context() : String.join(", ", tags)) + "  ·  " + b.result() + "  ·  "
                + BuildWizardModel.seconds(b.durationMillis());
    }
}
