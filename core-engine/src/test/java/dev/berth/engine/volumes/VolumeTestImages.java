package dev.berth.engine.volumes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Busybox plus a layer with content owned by 1000:1000 at {@code /data} (declared a VOLUME), a file
 * at {@code /afile}, and a symlink {@code /escape} to an absolute path chosen by the test (a host
 * directory, to prove nothing follows it on the host).
 */
public final class VolumeTestImages {
    private VolumeTestImages() {
    }

    public static ImageFixture withVolume(String escapeTarget) throws IOException {
        ImageFixture busybox = TestImages.busybox();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            dir(tar, "data/", 0750, 1000);
            file(tar, "data/seed.txt", 0640, 1000, "seeded\n");
            dir(tar, "data/sub/", 0700, 1001);
            symlink(tar, "data/sub/link", "../seed.txt");
            file(tar, "afile", 0644, 0, "a file\n");
            symlink(tar, "escape", escapeTarget);
        }
        byte[] layerTar = bytes.toByteArray();
        byte[] gz = TestImages.gzip(layerTar);
        Digest layerDigest = Digest.sha256Of(gz);
        Digest diffId = Digest.sha256Of(layerTar);

        Map<Digest, byte[]> layers = new LinkedHashMap<>(busybox.layers());
        List<Digest> diffIds = new ArrayList<>(busybox.diffIds());
        layers.put(layerDigest, gz);
        diffIds.add(diffId);

        ObjectNode config = (ObjectNode) Json.MAPPER.readTree(busybox.config());
        ObjectNode c = (ObjectNode) config.get("config");
        c.putObject("Volumes").putObject("/data");
        ArrayNode ids = ((ObjectNode) config.get("rootfs")).putArray("diff_ids");
        diffIds.forEach(d -> ids.add(d.toString()));
        ((ArrayNode) config.get("history")).addObject().put("created", TestImages.MTIME.toString())
                .put("created_by", "VOLUME /data");
        byte[] configBytes = Json.MAPPER.writeValueAsBytes(config);
        Descriptor configDescriptor = Descriptor.of(MediaTypes.DOCKER_CONFIG, Digest.sha256Of(configBytes), configBytes.length);
        List<Descriptor> layerDescriptors = new ArrayList<>();
        layers.forEach((d, b) -> layerDescriptors.add(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, d, b.length)));
        ImageManifest manifest = ImageManifest.docker(configDescriptor, layerDescriptors);
        byte[] manifestBytes = Json.MAPPER.writeValueAsBytes(manifest);
        return new ImageFixture(manifest.mediaType(), manifestBytes, Digest.sha256Of(manifestBytes), configBytes,
                configDescriptor.digest(), layers, diffIds, List.of());
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode, int owner) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040000 | mode);
        put(tar, e, owner, null);
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, int owner, String content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        e.setMode(0100000 | mode);
        e.setSize(b.length);
        put(tar, e, owner, b);
    }

    private static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        put(tar, e, 0, null);
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, int owner, byte[] content) throws IOException {
        e.setModTime(Date.from(TestImages.MTIME));
        e.setIds(owner, owner);
        tar.putArchiveEntry(e);
        if (content != null) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
    }
}
