package dev.berth.engine.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.events.EngineEvent;
import dev.berth.engine.events.EventBus;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.manifest.ImageConfig;
import dev.berth.images.store.BlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The image backend: every image operation the API, the CLI and the GUI can ask for. Routes translate
 * HTTP to these calls and nothing else (moby's router/backend split).
 */
public final class ImageService {
    private final BlobStore blobs;
    private final ImageStore images;
    private final LayerStore layers;
    private final EventBus events;
    private final LayerImporter importer;
    private volatile ImageUsers users = ImageUsers.NONE;
    /**
     * Pulls and loads hold the read side while they store blobs and unpack layers that the catalog
     * does not reference yet; deletes and garbage collection take the write side, so they never remove
     * content an operation in flight is about to register.
     */
    private final ReentrantReadWriteLock content = new ReentrantReadWriteLock();

    /** Work that adds or reads content: runs concurrently with other such work, never with a delete. */
    public interface ContentWork<T> {
        T run() throws IOException;
    }

    public <T> T holdingContent(ContentWork<T> work) throws IOException {
        content.readLock().lock();
        try {
            return work.run();
        } finally {
            content.readLock().unlock();
        }
    }

    private <T> T deletingContent(Supplier<T> work) {
        content.writeLock().lock();
        try {
            return work.get();
        } finally {
            content.writeLock().unlock();
        }
    }

    public ImageService(BlobStore blobs, ImageStore images, LayerStore layers, EventBus events) {
        this.blobs = blobs;
        this.images = images;
        this.layers = layers;
        this.events = events;
        this.importer = new LayerImporter(layers);
    }

    /** The container backend, once it exists: it is built on this service, so it registers afterwards. */
    public void setUsers(ImageUsers users) {
        this.users = users;
    }

    /** Unpacks layers into the layer store; one per engine, as it reads the process umask once. */
    public LayerImporter importer() {
        return importer;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public ImageStore store() {
        return images;
    }

    public LayerStore layers() {
        return layers;
    }

    public EventBus events() {
        return events;
    }

    /**
     * Finds an image the way Docker does: a full or prefixed ID ({@code sha256:…} or hex), a digest
     * reference, or a name (with {@code :latest} added); a bare hex name falls back to an ID prefix.
     */
    public Optional<ImageRecord> find(String nameOrId) {
        String s = nameOrId.trim();
        if (s.startsWith("sha256:")) {
            String hex = s.substring(7);
            return hex.length() == 64 ? images.get(Digest.parse(s)) : images.resolveIdPrefix(hex).flatMap(images::get);
        }
        if (s.matches("[0-9a-f]{64}")) {
            return images.get(Digest.parse("sha256:" + s));
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(s);
        } catch (BerthException e) {
            return images.resolveIdPrefix(s).flatMap(images::get);
        }
        Optional<Digest> id = images.resolveReference(ref.toString());
        if (id.isEmpty() && s.matches("[0-9a-f]{1,63}")) {
            id = images.resolveIdPrefix(s);
        }
        return id.flatMap(images::get);
    }

    public ImageRecord require(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> BerthException.notFound("No such image: " + nameOrId));
    }

    public ImageConfig config(ImageRecord image) {
        return ImageConfig.parse(readBlob(image.id()));
    }

    private byte[] readBlob(Digest d) {
        try {
            return blobs.read(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- list -------------------------------------------------------------------------------

    /** {@code GET /images/json} without {@code all}: intermediate build steps hidden. */
    public List<Map<String, Object>> list(Map<String, List<String>> filters) {
        return list(filters, false);
    }

    /**
     * {@code GET /images/json}: newest first, with Docker's filters (reference, dangling, label, before,
     * since). An image without references that is another's parent (a classic-builder step) shows only
     * with {@code all}; {@code dangling=true} lists only images without children (moby's Heads).
     * Docker's {@code digests} is a display choice of the CLI.
     */
    public List<Map<String, Object>> list(Map<String, List<String>> filters, boolean all) {
        Predicate<ImageRecord> keep = ImageFilters.compile(filters, this);
        Map<Digest, Digest> parents = images.parents().all();
        java.util.Set<Digest> withChildren = new java.util.HashSet<>(parents.values());
        boolean danglingOnly = ImageFilters.danglingWanted(filters, false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImageRecord r : images.list()) {
            if (!keep.test(r) || (withChildren.contains(r.id()) && (danglingOnly || (!all && r.references().isEmpty())))) {
                continue;
            }
            ImageConfig cfg = config(r);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Containers", -1);
            m.put("Created", epochSeconds(r.created()));
            m.put("Id", r.id().toString());
            m.put("Labels", cfg.config() == null || cfg.config().labels() == null ? Map.of() : cfg.config().labels());
            m.put("ParentId", parents.containsKey(r.id()) ? parents.get(r.id()).toString() : "");
            m.put("RepoDigests", familiar(r.digestReferences()));
            m.put("RepoTags", familiar(r.tags()));
            m.put("SharedSize", -1);
            m.put("Size", r.size());
            out.add(m);
        }
        return out;
    }

    static List<String> familiar(List<String> refs) {
        List<String> out = new ArrayList<>(refs.size());
        for (String ref : refs) {
            out.add(ImageReference.parseNormalizedNamed(ref).familiarString());
        }
        return out;
    }

    static long epochSeconds(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return 0;
        }
        try {
            return Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    // ---- inspect and history ----------------------------------------------------------------

    /** {@code GET /images/{name}/json} in Docker's ImageInspect shape. */
    public Map<String, Object> inspect(String nameOrId) {
        ImageRecord r = require(nameOrId);
        JsonNode raw = readTree(r.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id().toString());
        m.put("RepoTags", familiar(r.tags()));
        m.put("RepoDigests", familiar(r.digestReferences()));
        m.put("Parent", images.parents().parent(r.id()).map(Digest::toString).orElse(""));
        m.put("Comment", raw.path("comment").asText(""));
        m.put("Created", raw.path("created").asText(""));
        m.put("DockerVersion", raw.path("docker_version").asText(""));
        m.put("Author", raw.path("author").asText(""));
        m.put("Config", dockerContainerConfig(raw.path("config")));
        m.put("Architecture", raw.path("architecture").asText(""));
        if (raw.hasNonNull("variant")) {
            m.put("Variant", raw.path("variant").asText());
        }
        m.put("Os", raw.path("os").asText(""));
        m.put("Size", r.size());
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("Data", Map.of("LowerDir", String.join(":", r.diffIds().reversed().stream()
                .map(d -> layers.path(d).toString()).toList())));
        graph.put("Name", "overlay");
        m.put("GraphDriver", graph);
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", "layers");
        rootfs.put("Layers", r.diffIds().stream().map(Digest::toString).toList());
        m.put("RootFS", rootfs);
        m.put("Metadata", Map.of("LastTagTime", Instant.ofEpochMilli(r.loadedAtMillis()).toString()));
        return m;
    }

    private JsonNode readTree(Digest d) {
        try {
            return Json.MAPPER.readTree(readBlob(d));
        } catch (IOException e) {
            throw BerthException.system("image config " + d + " is unreadable", e);
        }
    }

    /** The image config's {@code config} in the shape Docker's inspect shows (all keys present). */
    private static Map<String, Object> dockerContainerConfig(JsonNode cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", "");
        m.put("Domainname", "");
        m.put("User", "");
        m.put("AttachStdin", false);
        m.put("AttachStdout", false);
        m.put("AttachStderr", false);
        m.put("Tty", false);
        m.put("OpenStdin", false);
        m.put("StdinOnce", false);
        m.put("Env", null);
        m.put("Cmd", null);
        m.put("Image", "");
        m.put("Volumes", null);
        m.put("WorkingDir", "");
        m.put("Entrypoint", null);
        m.put("OnBuild", null);
        m.put("Labels", null);
        if (cfg instanceof ObjectNode o) {
            Map<String, Object> given = Json.MAPPER.convertValue(o, Map.class);
            m.putAll(given);
        }
        return m;
    }

    /** {@code GET /images/{name}/history}: newest first; only the top entry carries the image ID. */
    public List<Map<String, Object>> history(String nameOrId) {
        ImageRecord r = require(nameOrId);
        ImageConfig cfg = config(r);
        List<ImageConfig.History> hist = cfg.history() == null ? List.of() : cfg.history();
        List<Map<String, Object>> out = new ArrayList<>();
        int layer = 0;
        List<Long> sizes = new ArrayList<>();
        for (Digest d : r.diffIds()) {
            sizes.add(images.layer(d).map(LayerRecord::size).orElse(0L));
        }
        for (ImageConfig.History h : hist) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Comment", h.comment() == null ? "" : h.comment());
            m.put("Created", epochSeconds(h.created()));
            m.put("CreatedBy", h.createdBy() == null ? "" : h.createdBy());
            m.put("Id", "<missing>");
            long size = 0;
            if (!h.isEmptyLayer() && layer < sizes.size()) {
                size = sizes.get(layer++);
            }
            m.put("Size", size);
            m.put("Tags", null);
            out.add(m);
        }
        if (out.isEmpty()) {
            for (long s : sizes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Comment", "");
                m.put("Created", epochSeconds(cfg.created()));
                m.put("CreatedBy", "");
                m.put("Id", "<missing>");
                m.put("Size", s);
                m.put("Tags", null);
                out.add(m);
            }
        }
        List<Map<String, Object>> newestFirst = new ArrayList<>(out.reversed());
        if (!newestFirst.isEmpty()) {
            newestFirst.getFirst().put("Id", r.id().toString());
            newestFirst.getFirst().put("Tags", familiar(r.tags()));
        }
        // moby's ImageHistory: down the parent chain, each entry gets the image that step made
        Optional<Digest> parent = images.parents().parent(r.id());
        for (int i = 1; i < newestFirst.size() && parent.isPresent(); i++) {
            Optional<ImageRecord> p = images.get(parent.get());
            if (p.isEmpty()) {
                break;
            }
            List<String> tags = familiar(p.get().tags());
            newestFirst.get(i).put("Id", p.get().id().toString());
            newestFirst.get(i).put("Tags", tags.isEmpty() ? null : tags);
            parent = images.parents().parent(p.get().id());
        }
        return newestFirst;
    }

    // ---- registration (pull, load) ------------------------------------------------------------

    /**
     * Records a complete image (its blobs stored and layers unpacked) and points {@code references}
     * at it (moving them from any image that had them), in one catalog transaction.
     */
    public ImageRecord register(Digest configDigest, Digest manifestDigest, String manifestMediaType,
                                List<LayerRecord> layerRecords, List<String> references) {
        ImageConfig cfg = ImageConfig.parse(readBlob(configDigest));
        List<Digest> diffIds = layerRecords.stream().map(LayerRecord::diffId).toList();
        if (!diffIds.equals(cfg.diffIds())) {
            throw BerthException.invalid("image layers do not match the config's rootfs.diff_ids");
        }
        long size = layerRecords.stream().mapToLong(LayerRecord::size).sum();
        ImageRecord record = new ImageRecord(configDigest, manifestDigest, manifestMediaType, cfg.created(), size,
                System.currentTimeMillis(), diffIds, references);
        images.add(record, layerRecords);
        return images.get(configDigest).orElseThrow();
    }

    // ---- tag, remove, prune -----------------------------------------------------------------

    /** {@code POST /images/{name}/tag}. */
    public void tag(String source, String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            throw BerthException.invalid("repository name must have at least one component");
        }
        ImageRecord image = require(source);
        ImageReference target = ImageReference.parseNormalizedNamed(repo);
        if (target.digest().isPresent()) {
            throw BerthException.invalid("refusing to create a tag with a digest reference");
        }
        if (target.tag().isPresent() && tag != null && !tag.isEmpty()) {
            throw BerthException.invalid("invalid reference format: repository name " + repo + " already has a tag");
        }
        String t = tag == null || tag.isEmpty() ? target.tag().orElse(ImageReference.DEFAULT_TAG) : tag;
        if (!ImageReference.isValidTag(t)) {
            throw BerthException.invalid("invalid tag format: \"" + t + "\"");
        }
        ImageReference ref = target.withTag(t);
        images.addReference(ref.toString(), image.id());
        events.publish(EngineEvent.image("tag", image.id().toString(), Map.of("name", ref.familiarString())));
    }

    /** One line of a DELETE /images answer: exactly one of the two is set. */
    public record DeleteItem(String untagged, String deleted) {
        public Map<String, String> toJson() {
            return untagged != null ? Map.of("Untagged", untagged) : Map.of("Deleted", deleted);
        }
    }

    public List<DeleteItem> remove(String nameOrId, boolean force) {
        return remove(nameOrId, force, true);
    }

    /**
     * {@code DELETE /images/{name}}, following moby's untag-then-delete rules.
     *
     * @param prune false for Docker's {@code noprune}: keep the untagged parents (build steps) behind the image
     */
    public List<DeleteItem> remove(String nameOrId, boolean force, boolean prune) {
        return deletingContent(() -> {
            ImageRecord image = require(nameOrId);
            List<DeleteItem> out = new ArrayList<>();
            List<String> refs = new ArrayList<>(image.references());
            boolean byId = isIdReference(nameOrId, image.id());
            Optional<ImageUsers.User> user = users.firstUser(image.id());
            if (!byId) {
                ImageReference given = ImageReference.parse(nameOrId);
                String full = given.toString();
                if (!force && singleRepository(refs) && user.isPresent()) {
                    // Untagging would leave a dangling image under a container: make the user say so.
                    throw BerthException.conflict("conflict: unable to remove repository reference \"" + nameOrId
                            + "\" (must force) - container " + user.get().containerId().substring(0, 12)
                            + " is using its referenced image " + image.id().shortHex());
                }
                images.removeReference(full);
                refs.remove(full);
                out.add(new DeleteItem(given.familiarString(), null));
                events.publish(EngineEvent.image("untag", image.id().toString(), Map.of("name", given.familiarString())));
                if (given.digest().isEmpty()) {
                    // The last tag of a repository takes that repository's digest references with it.
                    String repoName = given.name();
                    boolean tagLeftInRepo = refs.stream().anyMatch(r -> !r.contains("@") && sameRepo(r, repoName));
                    if (!tagLeftInRepo) {
                        for (String r : List.copyOf(refs)) {
                            if (r.contains("@") && sameRepo(r, repoName)) {
                                images.removeReference(r);
                                refs.remove(r);
                                out.add(new DeleteItem(ImageReference.parseNormalizedNamed(r).familiarString(), null));
                            }
                        }
                    }
                }
                if (!refs.isEmpty() || user.isPresent() || images.parents().hasChildren(image.id())) {
                    // A container's rootfs, or a child image, is built on these layers: the image stays, untagged.
                    return out;
                }
            } else {
                if (images.parents().hasChildren(image.id())) {
                    throw BerthException.conflict("conflict: unable to delete " + image.id().shortHex()
                            + " (cannot be forced) - image has dependent child images");
                }
                if (user.isPresent() && user.get().running()) {
                    throw BerthException.conflict("conflict: unable to delete " + image.id().shortHex()
                            + " (cannot be forced) - image is being used by running container "
                            + user.get().containerId().substring(0, 12));
                }
                if (user.isPresent() && !force) {
                    throw BerthException.conflict("conflict: unable to delete " + image.id().shortHex()
                            + " (must be forced) - image is being used by stopped container "
                            + user.get().containerId().substring(0, 12));
                }
                if (!force && !refs.isEmpty() && !singleRepository(refs)) {
                    throw BerthException.conflict("conflict: unable to delete " + image.id().shortHex()
                            + " (must be forced) - image is referenced in multiple repositories");
                }
                for (String r : refs) {
                    images.removeReference(r);
                    out.add(new DeleteItem(ImageReference.parseNormalizedNamed(r).familiarString(), null));
                    events.publish(EngineEvent.image("untag", image.id().toString(),
                            Map.of("name", ImageReference.parseNormalizedNamed(r).familiarString())));
                }
                if (user.isPresent()) {
                    // Forced past a stopped container: its rootfs is built on these layers, so the
                    // image stays, untagged, rather than pulling the floor from under it.
                    return out;
                }
            }
            Optional<Digest> parent = images.parents().parent(image.id());
            deleteImage(image, out);
            if (prune) {
                pruneParents(parent, out);
            }
            return out;
        });
    }

    /**
     * moby's imageDeleteHelper with prune: the parents go too, up to the first one that is tagged, has
     * another child, or is under a container; quietly, as they were never named.
     */
    private void pruneParents(Optional<Digest> parent, List<DeleteItem> out) {
        while (parent.isPresent()) {
            Optional<ImageRecord> p = images.get(parent.get());
            if (p.isEmpty() || !p.get().references().isEmpty() || images.parents().hasChildren(p.get().id())
                    || users.firstUser(p.get().id()).isPresent()) {
                return;
            }
            parent = images.parents().parent(p.get().id());
            deleteImage(p.get(), out);
        }
    }

    /** moby's isImageIDPrefix: the name is a prefix of the full or the bare ID. */
    private static boolean isIdReference(String nameOrId, Digest id) {
        return id.toString().startsWith(nameOrId) || id.hex().startsWith(nameOrId);
    }

    private static boolean sameRepo(String ref, String repoName) {
        return ImageReference.parseNormalizedNamed(ref).name().equals(repoName);
    }

    /** moby's isSingleReference: every reference in one repository, and at most one tag. */
    private static boolean singleRepository(List<String> refs) {
        return refs.stream().map(r -> ImageReference.parseNormalizedNamed(r).name()).distinct().count() <= 1
                && refs.stream().filter(r -> !r.contains("@")).count() <= 1;
    }

    private void deleteImage(ImageRecord image, List<DeleteItem> out) {
        List<Digest> orphans = images.delete(image.id());
        out.add(new DeleteItem(null, image.id().toString()));
        for (Digest chainId : chainIds(image.diffIds(), orphans)) {
            out.add(new DeleteItem(null, chainId.toString()));
        }
        for (Digest d : orphans) {
            try {
                layers.delete(d);
            } catch (IOException e) {
                throw BerthException.system("image deleted but layer directory " + d + " could not be removed: "
                        + e.getMessage(), e);
            }
        }
        collectGarbage();
        events.publish(EngineEvent.image("delete", image.id().toString(), Map.of("name", image.id().toString())));
    }

    /** Docker reports deleted layers by chain ID; we list those whose diff no other image holds. */
    private static List<Digest> chainIds(List<Digest> diffIds, List<Digest> orphans) {
        List<Digest> out = new ArrayList<>();
        Digest chain = null;
        for (Digest d : diffIds) {
            chain = chain == null ? d : Digest.sha256Of((chain + " " + d).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (orphans.contains(d)) {
                out.add(chain);
            }
        }
        return out.reversed();
    }

    /**
     * Drops blobs no image needs any more, and layer directories no recorded layer names. Every writer
     * of content holds the content lock for reading until its image is recorded, so under the write
     * lock an unrecorded directory is an abandoned one, never one a pull is about to record.
     */
    public long collectGarbage() {
        return deletingContent(() -> {
            try {
                layers.sweepUnrecorded(images.knownLayers());
                return blobs.garbageCollect(images.liveBlobs());
            } catch (IOException e) {
                throw BerthException.system("blob garbage collection failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * {@code POST /images/prune}, as moby's ImagesPrune: dangling images (or with dangling=false every
     * image), leaving out untagged images that are another's parent; each goes as a delete with
     * prune, so its untagged build steps go with it. Images a container uses stay. The space reclaimed
     * is the size of the layers that went.
     */
    public Map<String, Object> prune(Map<String, List<String>> filters) {
        boolean danglingOnly = ImageFilters.danglingWanted(filters, true);
        Map<String, List<String>> rest = new LinkedHashMap<>(filters);
        rest.remove("dangling");
        Predicate<ImageRecord> keep = ImageFilters.compileForPrune(rest, this);
        List<Map<String, String>> deleted = new ArrayList<>();
        long reclaimed = deletingContent(() -> {
            Map<Digest, Long> layerSizes = new java.util.HashMap<>();
            for (Digest d : images.knownLayers()) {
                layerSizes.put(d, images.layer(d).map(LayerRecord::size).orElse(0L));
            }
            java.util.Set<Digest> withChildren = new java.util.HashSet<>(images.parents().all().values());
            for (ImageRecord r : images.list()) {
                boolean parent = withChildren.contains(r.id());
                if ((danglingOnly && parent) || (parent && r.references().isEmpty()) || !keep.test(r)
                        || (danglingOnly && !r.tags().isEmpty()) || images.get(r.id()).isEmpty()) {
                    continue;
                }
                List<String> names = r.references().isEmpty() ? List.of(r.id().hex()) : r.references();
                for (String name : names) {
                    try {
                        remove(name, false, true).forEach(i -> deleted.add(i.toJson()));
                    } catch (BerthException e) {
                        if (e.category() != dev.berth.errors.ErrorCategory.CONFLICT
                                && e.category() != dev.berth.errors.ErrorCategory.NOT_FOUND) {
                            throw e;
                        }
                        // moby's imageDeleteFailed: a conflict (a container uses it) skips the image
                    }
                }
            }
            java.util.Set<Digest> left = images.knownLayers();
            return layerSizes.entrySet().stream().filter(e -> !left.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ImagesDeleted", deleted.isEmpty() ? null : deleted);
        m.put("SpaceReclaimed", reclaimed);
        events.publish(new EngineEvent("image", "prune", new EngineEvent.Actor("", Map.of("reclaimed", Long.toString(reclaimed))),
                "local", System.currentTimeMillis() / 1000, System.currentTimeMillis() * 1_000_000L, null, null, null));
        return m;
    }

    /** The images part of {@code GET /system/df}. */
    public Map<String, Object> diskUsage() {
        long layersSize = 0;
        for (Digest d : images.knownLayers()) {
            layersSize += images.layer(d).map(LayerRecord::size).orElse(0L);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("LayersSize", layersSize);
        m.put("Images", list(Map.of()));
        m.put("Containers", List.of());
        m.put("Volumes", List.of());
        m.put("BuildCache", List.of());
        return m;
    }

    /** The set of layer dirs to keep at start-up, and their cleanup. */
    public void recover() throws IOException {
        layers.sweep(images.knownLayers());
        collectGarbage();
    }

    /** Used by filters: what "reference" patterns match against. */
    List<String> familiarTags(ImageRecord r) {
        return familiar(r.tags());
    }
}
