package dev.berth.images.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageIndex;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.ManifestContent;
import dev.berth.images.manifest.Manifests;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;
import dev.berth.images.store.BlobStore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@code docker save} writes (both the classic layout and Docker 25's OCI-layout tar) and
 * plain OCI image layouts, in one streaming pass. Every file goes straight into the content-addressed
 * store, so an entry's path is only ever a lookup key: a hostile name cannot write anywhere.
 */
public final class ImageArchiveReader {
    private static final long MAX_METADATA_BYTES = 16 << 20;

    private ImageArchiveReader() {
    }

    public static List<LoadedImage> read(InputStream tar, BlobStore store) throws IOException {
        Map<String, Digest> files = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        // docker load also takes a compressed tar (docker save | gzip); the magic bytes decide.
        InputStream buffered = tar.markSupported() ? tar : new java.io.BufferedInputStream(tar, 256 * 1024);
        boolean compressed = Compressions.detect(buffered) != dev.berth.images.manifest.MediaTypes.Compression.NONE;
        TarArchiveInputStream in;
        try {
            in = new TarArchiveInputStream(Compressions.decompressed(buffered));
        } catch (IOException ex) {
            throw BerthException.invalid("the image archive is compressed but corrupt: " + ex.getMessage());
        }
        TarArchiveEntry e;
        boolean any = false;
        try {
            while ((e = in.getNextEntry()) != null) {
                any = true;
                String name = normalise(e.getName());
                if (e.isSymbolicLink()) {
                    links.put(name, normalise(resolveRelative(name, e.getLinkName())));
                } else if (e.isLink()) {
                    links.put(name, normalise(e.getLinkName()));
                } else if (e.isFile()) {
                    files.put(name, store.ingest(in));
                }
            }
        } catch (IOException | BerthException ex) {
            if (!any && compressed) {
                // Decompressors differ in when they notice (the header, or the first read): same meaning.
                throw BerthException.invalid("the image archive is compressed but corrupt: " + ex.getMessage());
            }
            if (!any) {
                throw BerthException.invalid("invalid tar header: the input is not a tar archive from docker save ("
                        + ex.getMessage() + ")");
            }
            throw BerthException.invalid("the image archive is truncated or corrupt: " + ex.getMessage());
        }
        if (!any && in.getBytesRead() % 512 != 0) {
            // Input shorter than one tar block ends the archive quietly in commons-compress: it is not an empty tar.
            throw BerthException.invalid("invalid tar header: the input is not a tar archive from docker save (only "
                    + in.getBytesRead() + " bytes)");
        }
        for (Map.Entry<String, String> l : links.entrySet()) {
            Digest target = follow(l.getValue(), files, links, 0);
            if (target != null) {
                files.put(l.getKey(), target);
            }
        }
        verifyBlobNames(files);
        if (files.containsKey("manifest.json")) {
            return fromDockerManifest(files, store);
        }
        if (files.containsKey("index.json")) {
            return fromOciIndex(files, store);
        }
        if (!any) {
            throw BerthException.invalid("the image archive is empty");
        }
        throw BerthException.invalid("no manifest.json or index.json in the archive: not a docker save or OCI layout tar");
    }

    /**
     * A file under blobs/sha256/ is named by its digest, whichever manifest (manifest.json or
     * index.json) later refers to it: if its content says otherwise, the archive is corrupt.
     */
    private static void verifyBlobNames(Map<String, Digest> files) {
        for (Map.Entry<String, Digest> f : files.entrySet()) {
            if (f.getKey().startsWith("blobs/sha256/")) {
                String claimed = "sha256:" + f.getKey().substring("blobs/sha256/".length());
                if (Digest.isValid(claimed) && !Digest.parse(claimed).equals(f.getValue())) {
                    throw new BerthException(dev.berth.errors.ErrorCategory.DATA_LOSS, "digest mismatch: blob " + claimed
                            + " in the archive has digest " + f.getValue() + "; the archive is corrupt");
                }
            }
        }
    }

    private static Digest follow(String path, Map<String, Digest> files, Map<String, String> links, int depth) {
        if (depth > 16) {
            return null;
        }
        Digest d = files.get(path);
        if (d != null) {
            return d;
        }
        String next = links.get(path);
        return next == null ? null : follow(next, files, links, depth + 1);
    }

    private static String normalise(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        try {
            return Path.of(n).normalize().toString();
        } catch (InvalidPathException ex) {
            // A NUL in a name from manifest.json or a PAX header: no real entry can match it.
            return n;
        }
    }

    private static String resolveRelative(String from, String link) {
        try {
            Path parent = Path.of(from).getParent();
            return (parent == null ? Path.of(link) : parent.resolve(link)).normalize().toString();
        } catch (InvalidPathException ex) {
            return link;
        }
    }

    private static byte[] metadata(Map<String, Digest> files, String name, BlobStore store) throws IOException {
        Digest d = files.get(name);
        if (d == null) {
            throw BerthException.invalid("the archive names " + name + " but does not contain it");
        }
        if (store.size(d).orElse(0L) > MAX_METADATA_BYTES) {
            throw BerthException.invalid(name + " in the archive is too large to be metadata");
        }
        return store.read(d);
    }

    private static List<LoadedImage> fromDockerManifest(Map<String, Digest> files, BlobStore store) throws IOException {
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(metadata(files, "manifest.json", store));
        } catch (IOException ex) {
            throw BerthException.invalid("invalid manifest.json in the archive: " + Json.describe(ex));
        }
        if (!manifest.isArray()) {
            throw BerthException.invalid("invalid manifest.json in the archive: expected a JSON array");
        }
        List<LoadedImage> out = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String configPath = entry.path("Config").asText(null);
            if (configPath == null) {
                throw BerthException.invalid("invalid manifest.json in the archive: an entry has no Config");
            }
            Digest config = files.get(normalise(configPath));
            if (config == null) {
                throw BerthException.invalid("the archive names " + configPath + " but does not contain it");
            }
            List<Digest> layers = new ArrayList<>();
            for (JsonNode l : entry.path("Layers")) {
                Digest d = files.get(normalise(l.asText()));
                if (d == null) {
                    throw BerthException.invalid("the archive names layer " + l.asText() + " but does not contain it");
                }
                layers.add(d);
            }
            List<String> tags = new ArrayList<>();
            entry.path("RepoTags").forEach(t -> tags.add(t.asText()));
            out.add(new LoadedImage(config, layers, tags));
        }
        return out;
    }

    private static List<LoadedImage> fromOciIndex(Map<String, Digest> files, BlobStore store) throws IOException {
        ManifestContent index = Manifests.parse(metadata(files, "index.json", store), MediaTypes.OCI_INDEX);
        if (!(index instanceof ImageIndex idx)) {
            throw BerthException.invalid("index.json in the archive is not an image index");
        }
        Map<Digest, LoadedImage> out = new LinkedHashMap<>();
        for (Descriptor d : idx.manifests()) {
            String name = refName(d);
            Descriptor target = d;
            if (MediaTypes.isIndex(d.mediaType())) {
                if (!(Manifests.parse(blob(files, d.digest(), store), d.mediaType()) instanceof ImageIndex nested)) {
                    throw BerthException.invalid("the archive's index lists " + d.digest()
                            + " as an image index, but that blob is not an image index");
                }
                target = nested.selectOrThrow(Platform.host(), name == null ? d.digest().toString() : name);
            }
            if (!MediaTypes.isImageManifest(target.mediaType())) {
                continue;
            }
            if (!(Manifests.parse(blob(files, target.digest(), store), target.mediaType()) instanceof ImageManifest m)) {
                throw BerthException.invalid("the archive's index lists " + target.digest()
                        + " as an image manifest, but that blob is not an image manifest");
            }
            requirePresent(files, m.config().digest());
            List<Digest> layers = new ArrayList<>();
            for (Descriptor l : m.layers()) {
                requirePresent(files, l.digest());
                layers.add(l.digest());
            }
            LoadedImage prior = out.get(m.config().digest());
            List<String> tags = new ArrayList<>(prior == null ? List.of() : prior.repoTags());
            if (name != null && !tags.contains(name)) {
                tags.add(name);
            }
            out.put(m.config().digest(), new LoadedImage(m.config().digest(), layers, tags));
        }
        return List.copyOf(out.values());
    }

    /** containerd and docker name the full reference; plain OCI layouts only a tag (skopeo's oci:dir:tag). */
    private static String refName(Descriptor d) {
        if (d.annotations() == null) {
            return null;
        }
        String full = d.annotations().get("io.containerd.image.name");
        if (full != null) {
            return full;
        }
        return null;
    }

    /** The file named after a digest must hash to that digest, or the archive is lying. */
    private static void requirePresent(Map<String, Digest> files, Digest d) {
        Digest stored = files.get("blobs/" + d.algorithm().prefix() + "/" + d.hex());
        if (stored == null) {
            throw BerthException.invalid("the archive's manifest names blob " + d + " but the archive does not contain it");
        }
        if (!stored.equals(d)) {
            throw new BerthException(dev.berth.errors.ErrorCategory.DATA_LOSS, "digest mismatch: blob " + d
                    + " in the archive has digest " + stored + "; the archive is corrupt");
        }
    }

    private static byte[] blob(Map<String, Digest> files, Digest d, BlobStore store) throws IOException {
        requirePresent(files, d);
        return store.read(d);
    }
}
