package dev.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The file tree of an image from its {@code docker save} archive: the layers applied in order with their
 * whiteouts, each path described by type, mode, owner, size and link target (mtimes left out), so the
 * trees two engines build can be compared line by line.
 */
final class ImageTree {
    private ImageTree() {
    }

    /** path → "type mode uid:gid size link" of the image's first manifest in the archive. */
    static Map<String, String> of(Path saved) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(saved)))) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                if (e.isFile()) {
                    files.put(clean(e.getName()), t.readAllBytes());
                }
            }
        }
        JsonNode manifest = Json.MAPPER.readTree(files.get("manifest.json")).get(0);
        TreeMap<String, String> tree = new TreeMap<>();
        for (JsonNode layer : manifest.get("Layers")) {
            byte[] bytes = files.get(clean(layer.asText()));
            if (bytes == null) {
                throw new IOException("layer " + layer.asText() + " missing from " + saved);
            }
            apply(tree, bytes);
        }
        return tree;
    }

    private static void apply(TreeMap<String, String> tree, byte[] layer) throws IOException {
        InputStream in = new ByteArrayInputStream(layer);
        if (layer.length > 2 && (layer[0] & 0xff) == 0x1f && (layer[1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in);
        }
        try (TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                String path = clean(e.getName());
                String base = path.substring(path.lastIndexOf('/') + 1);
                String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
                if (base.equals(".wh..wh..opq")) {
                    removeBelow(tree, parent);
                    continue;
                }
                if (base.startsWith(".wh.")) {
                    String gone = (parent.isEmpty() ? "" : parent + "/") + base.substring(4);
                    tree.remove(gone);
                    removeBelow(tree, gone);
                    continue;
                }
                if (path.isEmpty()) {
                    continue;
                }
                String type;
                String link = "";
                long size = 0;
                if (e.isDirectory()) {
                    type = "dir";
                } else if (e.isSymbolicLink()) {
                    type = "symlink";
                    link = e.getLinkName();
                } else if (e.isLink()) {
                    type = "hardlink";
                    link = clean(e.getLinkName());
                } else if (e.isFile()) {
                    type = "file";
                    size = e.getSize();
                } else {
                    type = "other" + (char) e.getLinkFlag();
                }
                if (!e.isDirectory()) {
                    removeBelow(tree, path);
                }
                tree.put(path, String.format("%s %04o %d:%d %d %s", type, e.getMode() & 07777, e.getLongUserId(),
                        e.getLongGroupId(), size, link).strip());
            }
        }
    }

    private static void removeBelow(TreeMap<String, String> tree, String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        tree.subMap(prefix, prefix + Character.MAX_VALUE).clear();
    }

    private static String clean(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(".") ? "" : n;
    }

    /** The lines that differ between two trees, for an assertion message; empty when they match. */
    static List<String> differences(Map<String, String> docker, Map<String, String> berth) {
        TreeMap<String, String> all = new TreeMap<>();
        docker.forEach((k, v) -> all.put(k, ""));
        berth.forEach((k, v) -> all.put(k, ""));
        return all.keySet().stream()
                .filter(k -> !java.util.Objects.equals(docker.get(k), berth.get(k)))
                .map(k -> k + ": docker=" + docker.get(k) + " berth=" + berth.get(k))
                .toList();
    }
}
