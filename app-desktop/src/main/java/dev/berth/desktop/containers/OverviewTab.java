package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;

/** The first tab of a container's detail: name, image, state, command, ports, from the list entry. */
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
        Label loading = new Label("Loading…");
        grid.add(loading, 0, 0);
        services.ui().background(() -> services.engine().client().containers().inspect(containerId), json -> {
            grid.getChildren().clear();
            int row = 0;
            row = add(grid, row, "ID", json.path("Id").asText());
            row = add(grid, row, "Name", json.path("Name").asText().replaceFirst("^/", ""));
            row = add(grid, row, "Image", json.path("Config").path("Image").asText());
            row = add(grid, row, "State", json.path("State").path("Status").asText());
            row = add(grid, row, "Created", json.path("Created").asText());
            JsonNode cmd = json.path("Config").path("Cmd");
            add(grid, row, "Command", cmd.isArray() ? String.join(" ", iter(cmd)) : "");
        }, e -> loading.setText("Cannot inspect: " + e.getMessage()));
        return Content.of(grid);
    }

    private static java.util.List<String> iter(JsonNode a) {
        java.util.List<String> out = new java.util.ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int add(GridPane g, int row, String k, String v) {
        Label key = new Label(k);
        key.getStyleClass().add("text-muted");
        Label val = new Label(v);
        val.setWrapText(true);
        g.addRow(row, key, val);
        return row + 1;
    }
}
