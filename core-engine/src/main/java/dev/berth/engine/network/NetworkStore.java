package dev.berth.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.catalog.Catalog;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The networks table of the catalog: user-defined networks only; bridge, host and none are built in. */
public final class NetworkStore {
    private final Catalog catalog;

    public NetworkStore(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Inserts, refusing a taken name with Docker's message; the UNIQUE constraint backs the check. */
    public void insert(NetworkRecord n) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM networks WHERE name = ?")) {
                s.setString(1, n.name());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        throw BerthException.conflict("network with name " + n.name() + " already exists");
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO networks(id, name, config, created) VALUES(?,?,?,?)")) {
                s.setString(1, n.id());
                s.setString(2, n.name());
                s.setString(3, toJson(n));
                s.setString(4, n.created().toString());
                s.executeUpdate();
            }
            return null;
        });
    }

    public void delete(String id) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM networks WHERE id = ?")) {
                s.setString(1, id);
                s.executeUpdate();
            }
            return null;
        });
    }

    public List<NetworkRecord> all() {
        return catalog.read(c -> {
            List<NetworkRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, name, config, created FROM networks ORDER BY created, id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    public Optional<NetworkRecord> get(String id) {
        return all().stream().filter(n -> n.id().equals(id)).findFirst();
    }

    private static String toJson(NetworkRecord n) throws SQLException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("Driver", n.driver());
        o.put("Subnet", n.subnet());
        o.put("Gateway", n.gateway());
        if (n.ipRange() != null) {
            o.put("IPRange", n.ipRange());
        }
        o.put("Bridge", n.bridge());
        o.put("Internal", n.internal());
        o.set("Labels", Json.MAPPER.valueToTree(n.labels()));
        o.set("Options", Json.MAPPER.valueToTree(n.options()));
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }

    private static NetworkRecord row(ResultSet rs) throws SQLException {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(rs.getString("config"));
        } catch (IOException e) {
            throw new SQLException("unreadable config of network " + rs.getString("id"), e);
        }
        return new NetworkRecord(rs.getString("id"), rs.getString("name"), o.path("Driver").asText("bridge"),
                Instant.parse(rs.getString("created")), o.path("Subnet").asText(), o.path("Gateway").asText(),
                o.hasNonNull("IPRange") ? o.get("IPRange").asText() : null, o.path("Bridge").asText(),
                o.path("Internal").asBoolean(false), map(o.get("Labels")), map(o.get("Options")));
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
