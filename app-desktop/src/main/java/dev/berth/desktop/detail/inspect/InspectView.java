package dev.berth.desktop.detail.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Json;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;

/** The Inspect tab: the container's JSON as a tree, and raw. */
public final class InspectView extends TabPane {
    private final TreeView<JsonTreeNode> tree = new TreeView<>();
    private final TextArea raw = new TextArea();

    public InspectView() {
        setId("inspect");
        raw.setId("inspect-raw");
        raw.setEditable(false);
        raw.setStyle("-fx-font-family: monospace;");
        getTabs().addAll(new Tab("Tree", tree), new Tab("Raw JSON", raw));
        getTabs().forEach(t -> t.setClosable(false));
    }

    public void show(JsonNode inspect) {
        JsonTreeNode root = JsonTreeNode.of("container", inspect);
        TreeItem<JsonTreeNode> item = item(root);
        item.setExpanded(true);
        tree.setRoot(item);
        try {
            raw.setText(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(inspect));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            raw.setText(inspect.toString());
        }
    }

    public TreeView<JsonTreeNode> tree() {
        return tree;
    }

    private static TreeItem<JsonTreeNode> item(JsonTreeNode n) {
        TreeItem<JsonTreeNode> i = new TreeItem<>(n);
        for (JsonTreeNode c : n.children()) {
            i.getChildren().add(item(c));
        }
        return i;
    }
}
