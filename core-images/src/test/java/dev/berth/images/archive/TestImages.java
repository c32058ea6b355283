package dev.berth.images.archive;

import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.Platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tiny but real images (layer tars, a config whose diff_ids match) for archive tests. */
record TestImages(byte[] config, Digest configDigest, List<byte[]> layers, List<Digest> diffIds) {

    static TestImages of(String... layerContents) {
        return of(Platform.of("linux", "amd64", null), layerContents);
    }

    static TestImages of(Platform platform, String... layerContents) {
        List<byte[]> layers = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        List<Map<String, Object>> history = new ArrayList<>();
        for (int i = 0; i < layerContents.length; i++) {
            // Named after the content, so equal contents make equal layers (a repeated layer).
            byte[] layer = TarBuilder.layer("data-" + Integer.toHexString(layerContents[i].hashCode()), layerContents[i]);
            layers.add(layer);
            diffIds.add(Digest.sha256Of(layer));
            history.add(Map.of("created", "2024-01-01T00:00:00Z", "created_by", "ADD data" + i + " /etc/"));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", platform.architecture());
        config.put("os", platform.os());
        if (platform.variant() != null) {
            config.put("variant", platform.variant());
        }
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("config", Map.of("Cmd", List.of("sh"), "Env", List.of("PATH=/bin")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds.stream().map(Digest::toString).toList()));
        config.put("history", history);
        try {
            byte[] bytes = Json.MAPPER.writeValueAsBytes(config);
            return new TestImages(bytes, Digest.sha256Of(bytes), layers, diffIds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ImageArchiveWriter.SaveImage save(String... repoTags) {
        List<ImageArchiveWriter.SaveLayer> saveLayers = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            byte[] l = layers.get(i);
            saveLayers.add(new ImageArchiveWriter.SaveLayer(diffIds.get(i), l.length, () -> new ByteArrayInputStream(l)));
        }
        return new ImageArchiveWriter.SaveImage(configDigest, config, saveLayers, List.of(repoTags));
    }
}
