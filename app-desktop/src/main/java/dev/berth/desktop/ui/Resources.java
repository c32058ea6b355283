package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;

import java.util.List;

import static dev.berth.desktop.ui.ResourceListView.text;

/** The volumes and networks views. */
public final class Resources {
    private Resources() {
    }

    public static ResourceListView volumes(AppServices s) {
        return new ResourceListView(s, "volumes", "volume", c -> c.volumes().list(null).path("Volumes"),
                List.of(new ResourceListView.Column("Name", n -> text(n, "Name"), 320),
                        new ResourceListView.Column("Driver", n -> text(n, "Driver"), 100),
                        new ResourceListView.Column("Mountpoint", n -> text(n, "Mountpoint"), 420)), UsedBy.volumes(),
                n -> text(n, "Name"), (c, k) -> c.volumes().remove(k, false), c -> c.volumes().prune(null),
                "No volumes", "Volumes appear here when containers or `docker volume create` make them.");
    }

    public static ResourceListView networks(AppServices s) {
        return new ResourceListView(s, "networks", "network", c -> c.networks().list(null),
                List.of(new ResourceListView.Column("Name", n -> text(n, "Name"), 220),
                        new ResourceListView.Column("Driver", n -> text(n, "Driver"), 100),
                        new ResourceListView.Column("Subnet", Resources::subnet, 180),
                        new ResourceListView.Column("ID", n -> text(n, "Id").substring(0, Math.min(12, text(n, "Id").length())), 130)), UsedBy.networks(),
                n -> text(n, "Id"), (c, k) -> c.networks().remove(k), c -> c.networks().prune(null),
                "No networks", "Create one with `docker network create`.");
    }

    private static String subnet(JsonNode n) {
        JsonNode cfg = n.path("IPAM").path("Config");
        return cfg.isArray() && !cfg.isEmpty() ? cfg.get(0).path("Subnet").asText("") : "";
    }
}
