package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;

/** The first tab of a container's detail: name, image, state, command, from {@link OverviewViewModel}. */
final class OverviewTab implements ContainerDetailTab {
    @Override
    public String title() {
        return "Overview";
    }

    @Override
    public Content create(String containerId, AppServices services) {
        GridPane grid = new GridPane(12, 6);
        grid.setPadding(new Insets(12));
        grid.getStyleClass().add("berth-overview");
        OverviewViewModel vm = new OverviewViewModel(containerId, services);
        grid.getProperties().put(OverviewViewModel.class, vm); // kept as long as the grid, not only through a listener
        Label loading = new Label();
        loading.textProperty().bind(vm.messageProperty());
        grid.add(loading, 0, 0);
        Runnable layout = () -> {
            if (vm.fields().isEmpty()) {
                return;
            }
            grid.getChildren().clear();
            int row = 0;
            for (OverviewViewModel.Field f : vm.fields()) {
                Label key = new Label(f.key());
                key.getStyleClass().add("text-muted");
                Label val = new Label(f.value());
                val.setWrapText(true);
                grid.addRow(row++, key, val);
            }
        };
        vm.fields().addListener((ListChangeListener<OverviewViewModel.Field>) c -> layout.run());
        layout.run();
        return Content.of(grid);
    }
}
