package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.LastKnownList;

import java.util.List;

import static dev.berth.desktop.ui.ResourceListView.text;

/** The volumes and networks views. */
public final class Resources {
    private Resources() {
    }

    /** The volumes view's model: listed, removed and pruned as {@code docker volume} does. */
    public static ResourceListViewModel volumesModel(AppServices s) {
        return new ResourceListViewModel(s, LastKnownList.VOLUMES, "volume", c -> c.volumes().list(null).path("Volumes"),
                UsedBy.volumes(), (c, k) -> c.volumes().remove(k, false), c -> c.volumes().prune(null));
    }

    /** The networks view's model: listed, removed and pruned as {@code docker network} does. */
    public static ResourceListViewModel networksModel(AppServices s) {
        return new ResourceListViewModel(s, LastKnownList.NETWORKS, "network", c -> c.networks().list(null),
                UsedBy.networks(), (c, k) -> c.networks().remove(k), c -> c.networks().prune(null));
    }

    public static ResourceListView volumes(AppServices s) {
        return new ResourceListView(volumesModel(s), "volumes",
                List.of(new ResourceListView.Column("Name", n -> text(n, "Name"), 320),
                        new ResourceListView.Column("Driver", n -> text(n, "Driver"), 100),
                        new ResourceListView.Column("Mountpoint", n -> text(n, "Mountpoint"), 420)), true,
                n -> text(n, "Name"),
                "No volumes", "Create one above, or run a container with a volume; `docker volume create` works too.")
                .withCreate(List.of("name"), (c, v) -> c.volumes().create(v.get(0), null, null, null))
                .withInspect((c, k) -> json(c.volumes().inspectRaw(k)))
                // docker volume prune's rule since API 1.42: named volumes stay unless asked for with all=true
                .withPruneQuestion("Remove all anonymous volumes no container uses? Named volumes are kept, as `docker volume prune` does.");
    }

    public static ResourceListView networks(AppServices s) {
        return new ResourceListView(networksModel(s), "networks",
                List.of(new ResourceListView.Column("Name", n -> text(n, "Name"), 220),
                        new ResourceListView.Column("Driver", n -> text(n, "Driver"), 100),
                        new ResourceListView.Column("Subnet", Resources::subnet, 180),
                        new ResourceListView.Column("ID", n -> text(n, "Id").substring(0, Math.min(12, text(n, "Id").length())), 130)), true,
                n -> text(n, "Id"),
                "No networks", "Create one above, or with `docker network create`.")
                .withCreate(List.of("name", "subnet, e.g. 10.89.0.0/24 (optional)", "options k=v,… (optional)"),
                        (c, v) -> c.networks().create(networkRequest(v.get(0), v.get(1), v.get(2))))
                .withInspect((c, k) -> json(c.networks().inspectRaw(k, false)));
    }

    /** {@code docker network create [--subnet S] [-o k=v]... NAME} as the API's request body. */
    static JsonNode networkRequest(String name, String subnet, String options) {
        com.fasterxml.jackson.databind.node.ObjectNode body = dev.berth.images.Json.MAPPER.createObjectNode();
        body.put("Name", name).put("Driver", "bridge");
        if (!subnet.isBlank()) {
            body.putObject("IPAM").putArray("Config").addObject().put("Subnet", subnet.strip());
        }
        if (!options.isBlank()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = body.putObject("Options");
            for (String kv : options.split("[,\\s]+")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw dev.berth.errors.BerthException.invalid("option \"" + kv + "\": write key=value");
                }
                o.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return body;
    }

    private static JsonNode json(byte[] raw) {
        try {
            return dev.berth.images.Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String subnet(JsonNode n) {
        JsonNode cfg = n.path("IPAM").path("Config");
        return cfg.isArray() && !cfg.isEmpty() ? cfg.get(0).path("Subnet").asText("") : "";
    }
}
