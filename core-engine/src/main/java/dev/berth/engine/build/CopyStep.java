package dev.berth.engine.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.containers.ArchiveExtractor;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.ScopedPath;
import dev.berth.engine.images.ImageService;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.archive.Compressions;
import dev.berth.images.dockerfile.Instruction;
import dev.berth.images.dockerfile.VariableExpander;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * COPY, ADD and WORKDIR's directory: the files are staged in a private directory laid out as the
 * image root and that tree becomes the layer. Sources come from the context (checked to stay inside
 * it, symlinks resolved within it), from another stage's or image's root (mounted through a created,
 * never started container), or from a URL (ADD). The cache key holds a checksum of every source's
 * content, mode and owner, never its mtime.
 */
final class CopyStep {
    interface Then {
        void accept(Digest image) throws IOException;
    }

    private final ImageService images;
    private final ContainerService containers;
    private final BuildContext ctx;
    private final BuildTemp temp;
    /** The Dockerfile's escape character holds for COPY/ADD's words too (moby's shlex of the directive). */
    private VariableExpander vx = new VariableExpander('\\');

    CopyStep escape(char escape) {
        this.vx = new VariableExpander(escape);
        return this;
    }

    /** moby expands each source as one word (SingleWordExpander): a value with spaces stays one path. */
    private List<String> words(String raw, Map<String, String> scope) {
        return List.of(vx.processWord(raw, scope));
    }

    CopyStep(ImageService images, ContainerService containers, BuildContext ctx, BuildTemp temp) {
        this.images = images;
        this.containers = containers;
        this.ctx = ctx;
        this.temp = temp;
    }

    void workdir(ImageBuilder b, BuildOutput out, boolean quiet, Digest parent, ObjectNode cfg, String dir,
                 String comment, boolean noCache, Then then) throws IOException {
        String createdBy = ImageBuilder.nop1(shell(cfg), comment);
        String key = BuildCache.key(parent, createdBy, ImageBuilder.configKey(cfg));
        Digest hit = noCache ? null : b.cached(key);
        if (hit != null) {
            say(out, quiet, " ---> Using cache\n");
            then.accept(hit);
            say(out, quiet, " ---> " + hit.hex().substring(0, 12) + "\n");
            return;
        }
        Path stage = temp.create("workdir-");
        try {
            boolean exists = parent != null && existsInImage(parent, dir);
            if (!exists) {
                Files.createDirectories(stage.resolve(dir.substring(1)));
                keepExistingParents(parent, dir, stage);
            }
            // moby commits WORKDIR as a layer only when it had to create the directory.
            Digest id = b.commitCached(key, noCache, parent, cfg, exists || dir.equals("/") ? null : stage, createdBy);
            then.accept(id);
            say(out, quiet, " ---> " + id.hex().substring(0, 12) + "\n");
        } finally {
            temp.discard(stage);
        }
    }


    private static void say(BuildOutput out, boolean quiet, String s) {
        if (!quiet) {
            out.stream(s);
        }
    }

    private static List<String> shell(ObjectNode cfg) {
        var s = cfg.path("config").path("Shell");
        if (s.isArray() && !s.isEmpty()) {
            List<String> l = new ArrayList<>();
            s.forEach(x -> l.add(x.asText()));
            return l;
        }
        return ImageBuilder.DEFAULT_SHELL;
    }

    /**
     * The layer lists every parent of a new WORKDIR; those the image already has keep their mode and
     * owner (as an overlay copy-up does), else a 0777 parent would come back as 0755.
     */
    private void keepExistingParents(Digest image, String dir, Path stage) throws IOException {
        if (image == null) {
            return;
        }
        var rec = images.require(image.toString());
        String prefix = "";
        for (String part : dir.substring(1).split("/")) {
            prefix = prefix.isEmpty() ? part : prefix + "/" + part;
            for (Digest d : rec.diffIds().reversed()) {
                Path p = images.layers().path(d).resolve(prefix);
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        Path into = stage.resolve(prefix);
                        Files.setAttribute(into, "unix:mode", Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
                        Files.setAttribute(into, "unix:uid", Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                        Files.setAttribute(into, "unix:gid", Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS));
                    }
                    break;
                }
            }
        }
    }

    private boolean existsInImage(Digest image, String path) {
        var rec = images.require(image.toString());
        for (Digest d : rec.diffIds().reversed()) {
            Path p = images.layers().path(d).resolve(path.substring(1));
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private boolean isDirInImage(Digest image, String path) {
        if (image == null) {
            return false;
        }
        var rec = images.require(image.toString());
        for (Digest d : rec.diffIds().reversed()) {
            Path p = images.layers().path(d).resolve(path.substring(1));
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            }
        }
        return false;
    }

    /** moby's history text names the destination as written (after expansion), and --chown glued to the hash. */
    private String destAsWritten;
    private String chownAsWritten = "";

    /**
     * One resolved source: where it is on the host and the name it is copied under.
     * @param hash how moby's history names it: {@code file:…}, {@code dir:…} (see {@link SourceHashes})
     */
    private record Source(Path path, String name, String hash) {
    }

    void copy(ImageBuilder b, BuildOutput out, boolean quiet, Digest parent, ObjectNode cfg, List<String> rawSources,
              String rawDest, String from, String chown, String chmod, List<Instruction.Heredoc> heredocs, boolean add,
              String original, Map<String, String> scope, boolean noCache, Function<String, Digest> stages, Then then)
            throws IOException {
        String dest = vx.processWord(rawDest, scope);
        this.destAsWritten = dest;
        this.chownAsWritten = chown == null || chown.isEmpty() ? "" : vx.processWord(chown, scope);
        String workdir = cfg.path("config").path("WorkingDir").asText("");
        boolean destIsDir = dest.endsWith("/") || dest.endsWith("/.") || dest.equals(".");
        String absDest = dest.startsWith("/") ? dest : (workdir.isEmpty() ? "/" : workdir) + "/" + dest;
        absDest = Path.of(absDest).normalize().toString();
        Path work = temp.create("copy-");
        String helper = null;
        try {
            Path srcRoot = ctx.dir();
            if (from != null && !from.isEmpty()) {
                Digest img = stages.apply(vx.processWord(from, scope));
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("Image", img.toString());
                body.putArray("Cmd").add("true");
                helper = containers.create(null, body).id();
            }
            List<Source> sources = new ArrayList<>();
            List<String> urls = new ArrayList<>();
            String h = helper;
            if (h != null) {
                final String absDestF = absDest;
                return0(containers.withRootFs(h, true, (rec, rootfs, lowers) -> {
                    Path merged = rootfs.merged();
                    SourceHashes.Hasher hasher = SourceHashes.lazy(merged);
                    for (String raw : rawSources) {
                        for (String s : words(raw, scope)) {
                            Path p = ScopedPath.resolve(merged, "/" + s, true, false);
                            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                                throw BerthException.invalid("COPY failed: stat " + s + ": file does not exist");
                            }
                            // Copied out while the overlay is mounted: the layer is staged from the copy.
                            Path into = work.resolve("from").resolve(Integer.toString(sources.size()));
                            Files.createDirectories(into);
                            Path copy = into.resolve(p.getFileName() == null ? "root" : p.getFileName().toString());
                            String hash = SourceHashes.of(merged, s, hasher);
                            copyTree(p, copy, -1, -1, null);
                            sources.add(new Source(copy, p.getFileName() == null ? "" : p.getFileName().toString(), hash));
                        }
                    }
                    finish(b, out, quiet, parent, cfg, sources, List.of(), heredocs, absDestF, destIsDir, chown, chmod,
                            add, original, noCache, then, work);
                    return 0;
                }));
                return;
            }
            for (String raw : rawSources) {
                for (String s : words(raw, scope)) {
                    if (add && (s.startsWith("http://") || s.startsWith("https://"))) {
                        urls.add(s);
                        continue;
                    }
                    sources.addAll(contextSources(s));
                }
            }
            finish(b, out, quiet, parent, cfg, sources, urls, heredocs, absDest, destIsDir, chown, chmod, add,
                    original, noCache, then, work);
        } finally {
            if (helper != null) {
                try {
                    containers.remove(helper, true);
                } catch (Exception ignored) {
                    // the copy's own outcome is what matters
                }
            }
            temp.discard(work);
        }
    }

    private static void return0(int ignored) {
    }

    private List<Source> contextSources(String s) throws IOException {
        String clean = s.startsWith("/") ? s.substring(1) : s;
        Path lexical = ctx.resolveInside(clean);
        if (lexical == null) {
            throw BerthException.invalid("COPY failed: forbidden path outside the build context: " + s + " ()");
        }
        if (clean.matches(".*[*?\\[].*")) {
            List<Source> out = new ArrayList<>();
            for (Path p : SourceHashes.matches(ctx.dir(), clean)) {
                out.add(new Source(p, p.getFileName().toString(),
                        SourceHashes.of(ctx.dir(), ctx.dir().relativize(p).toString(), ctx::hash)));
            }
            if (out.isEmpty()) {
                throw BerthException.invalid("COPY failed: no source files were specified");
            }
            return out;
        }
        Path p = ScopedPath.resolve(ctx.dir(), "/" + clean, true, false);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw BerthException.invalid("COPY failed: file not found in build context or excluded by .dockerignore: stat "
                    + s + ": file does not exist");
        }
        String name = Path.of(clean).normalize().getFileName() == null ? "" : Path.of(clean).normalize().getFileName().toString();
        return List.of(new Source(p, name, SourceHashes.of(ctx.dir(), clean, ctx::hash)));
    }

    private void finish(ImageBuilder b, BuildOutput out, boolean quiet, Digest parent, ObjectNode cfg,
                        List<Source> sources, List<String> urls, List<Instruction.Heredoc> heredocs, String absDest,
                        boolean destIsDir, String chown, String chmod, boolean add, String original, boolean noCache,
                        Then then, Path work) throws IOException {
        for (String url : urls) {
            Path into = work.resolve("url").resolve(Integer.toString(sources.size()));
            Files.createDirectories(into);
            String name = URI.create(url).getPath();
            name = name.substring(name.lastIndexOf('/') + 1);
            if (name.isEmpty()) {
                name = "download";
            }
            Path f = into.resolve(name);
            try (HttpClient c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
                HttpResponse<Path> r = c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(f));
                if (r.statusCode() >= 400) {
                    throw BerthException.invalid("failed to GET " + url + " with status " + r.statusCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + url, e);
            }
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            // moby hashes a download as a lazy source holding the one file, with no "file:" in front
            sources.add(new Source(f, name, SourceHashes.lazy(into).hash(name)));
        }
        for (Instruction.Heredoc h : heredocs) {
            Path into = work.resolve("heredoc").resolve(Integer.toString(sources.size()));
            Files.createDirectories(into);
            Path f = into.resolve(h.name());
            Files.writeString(f, h.content(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            // moby's classic builder has no heredocs: named as a file of this content would be
            sources.add(new Source(f, h.name(), "file:" + SourceHashes.lazy(into).hash(h.name())));
        }
        if (sources.size() > 1 && !destIsDir) {
            throw BerthException.invalid("When using COPY with more than one source file, the destination must be a directory and end with a /");
        }
        int[] owner = owner(parent, chown);
        Set<PosixFilePermission> mode = chmod == null || chmod.isEmpty() ? null : mode(chmod);
        String checksum = checksum(sources, owner, chmod);
        String verb = add ? "ADD" : "COPY";
        String srcHash = SourceHashes.multi(sources.stream().map(Source::hash).toList());
        String createdBy = ImageBuilder.nop1(shell(cfg), verb + " " + (chownAsWritten.isEmpty() ? "" : "--chown=" + chownAsWritten)
                + srcHash + " in " + (destAsWritten == null ? absDest : destAsWritten) + " ");
        // moby keys on the history text alone; Berth's own checksum stays in the key as well, so a change
        // moby's sums cannot see (a dangling symlink's new target) still invalidates the step
        String key = BuildCache.key(parent, createdBy, ImageBuilder.configKey(cfg), original, checksum);
        Digest hit = noCache ? null : b.cached(key);
        if (hit != null) {
            say(out, quiet, " ---> Using cache\n");
            then.accept(hit);
            say(out, quiet, " ---> " + hit.hex().substring(0, 12) + "\n");
            return;
        }
        Path stage = work.resolve("stage");
        Files.createDirectories(stage);
        Files.setPosixFilePermissions(stage, PosixFilePermissions.fromString("rwxr-xr-x"));
        boolean intoDir = destIsDir || sources.size() > 1 || isDirInImage(parent, absDest);
        for (Source s : sources) {
            boolean dir = Files.isDirectory(s.path(), LinkOption.NOFOLLOW_LINKS);
            String target;
            if (dir) {
                target = absDest;
            } else {
                target = intoDir ? (absDest.endsWith("/") ? absDest : absDest + "/") + s.name() : absDest;
            }
            Path t = stage.resolve(target.substring(1)).normalize();
            if (!t.startsWith(stage) || target.startsWith("//")) {
                // "/" + "/name" would resolve as an absolute path: onto the host
                throw BerthException.system("COPY destination " + target + " escapes the layer being built", null);
            }
            mkParents(stage, t.getParent());
            if (add && !dir && isTar(s.path()) && !s.path().startsWith(work.resolve("url"))) {
                Path d = stage.resolve(absDest.substring(1));
                mkParents(stage, d);
                try (InputStream in = Compressions.decompressStream(Files.newInputStream(s.path()))) {
                    new ArchiveExtractor(stage, absDest, false, -1, -1).extract(in);
                }
                continue;
            }
            copyTree(s.path(), t, owner[0], owner[1], mode);
            if (dir && mode == null) {
                // moby's CopyWithTar makes the destination 0755 and copies what is inside the source
                // directory, not the directory's own mode (IncludeSourceDir is false)
                Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Digest id = b.commitCached(key, noCache, parent, cfg, stage, createdBy);
        then.accept(id);
        say(out, quiet, " ---> " + id.hex().substring(0, 12) + "\n");
    }

    private static void mkParents(Path stage, Path dir) throws IOException {
        if (dir == null || dir.equals(stage) || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        mkParents(stage, dir.getParent());
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean isTar(Path p) throws IOException {
        String n = p.getFileName().toString();
        if (n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] h = in.readNBytes(512);
            return h.length == 512 && new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        }
    }

    /** Copies keeping modes and mtimes (as Docker does), owner as given (-1: root). */
    static void copyTree(Path src, Path dst, int uid, int gid, Set<PosixFilePermission> mode) throws IOException {
        copyTree(src, dst, uid, gid, mode, new java.util.HashMap<>());
    }

    /** @param links files with several links already copied, by inode: their other names become hard links, as moby's tar copy keeps them */
    private static void copyTree(Path src, Path dst, int uid, int gid, Set<PosixFilePermission> mode,
                                 Map<Object, Path> links) throws IOException {
        if (Files.isSymbolicLink(src)) {
            Files.deleteIfExists(dst);
            Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
            chown(dst, uid, gid);
            return;
        }
        if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dst);
            }
            try (var l = Files.list(src)) {
                for (Path c : l.sorted().toList()) {
                    copyTree(c, dst.resolve(c.getFileName().toString()), uid, gid, mode, links);
                }
            }
            Files.setPosixFilePermissions(dst, mode != null ? mode : Files.getPosixFilePermissions(src, LinkOption.NOFOLLOW_LINKS));
            chown(dst, uid, gid);
            Files.setLastModifiedTime(dst, Files.getLastModifiedTime(src, LinkOption.NOFOLLOW_LINKS));
            return;
        }
        if (Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
            dst = dst.resolve(src.getFileName().toString());
        }
        var attrs = Files.readAttributes(src, "unix:nlink,ino,dev", LinkOption.NOFOLLOW_LINKS);
        if (((Number) attrs.get("nlink")).intValue() > 1) {
            Object inode = attrs.get("dev") + ":" + attrs.get("ino");
            Path first = links.get(inode);
            if (first != null) {
                Files.deleteIfExists(dst);
                Files.createLink(dst, first);
                return;
            }
            links.put(inode, dst);
        }
        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (mode != null) {
            Files.setPosixFilePermissions(dst, mode);
        }
        chown(dst, uid, gid);
    }

    private static void chown(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", Math.max(uid, 0), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", Math.max(gid, 0), LinkOption.NOFOLLOW_LINKS);
    }

    static Set<PosixFilePermission> mode(String chmod) {
        int m;
        try {
            m = Integer.parseInt(chmod, 8);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid chmod parameter: " + chmod);
        }
        StringBuilder sb = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }

    /** {@code --chown=user[:group]}: numbers as they are, names through the image's passwd/group. */
    private int[] owner(Digest image, String chown) throws IOException {
        if (chown == null || chown.isEmpty()) {
            return new int[]{0, 0};
        }
        String[] ug = chown.split(":", 2);
        int uid = id(image, "etc/passwd", ug[0]);
        int gid = ug.length > 1 ? id(image, "etc/group", ug[1]) : uid;
        if (ug.length == 1 && !ug[0].matches("\\d+")) {
            gid = primaryGroup(image, ug[0]);
        }
        return new int[]{uid, gid};
    }

    private int id(Digest image, String file, String name) throws IOException {
        if (name.matches("\\d+")) {
            return Integer.parseInt(name);
        }
        for (String line : fileLines(image, file)) {
            String[] f = line.split(":");
            if (f.length > 2 && f[0].equals(name)) {
                return Integer.parseInt(f[2]);
            }
        }
        throw BerthException.invalid("unable to convert uid/gid chown string to host mapping: can't find uid for user "
                + name + ": no such user: " + name);
    }

    private int primaryGroup(Digest image, String user) throws IOException {
        for (String line : fileLines(image, "etc/passwd")) {
            String[] f = line.split(":");
            if (f.length > 3 && f[0].equals(user)) {
                return Integer.parseInt(f[3]);
            }
        }
        return 0;
    }

    private List<String> fileLines(Digest image, String file) throws IOException {
        if (image == null) {
            return List.of();
        }
        for (Digest d : images.require(image.toString()).diffIds().reversed()) {
            Path p = images.layers().path(d).resolve(file);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return Files.readAllLines(p);
            }
        }
        return List.of();
    }

    /** Name, mode, owner, size and symlink target of every source file, in name order; never mtimes. */
    private static String checksum(List<Source> sources, int[] owner, String chmod) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((owner[0] + ":" + owner[1] + ":" + chmod + "\n").getBytes(StandardCharsets.UTF_8));
            for (Source s : sources) {
                md.update(("S " + s.name() + "\n").getBytes(StandardCharsets.UTF_8));
                List<Path> all;
                try (var w = Files.walk(s.path())) {
                    all = w.sorted().toList();
                }
                for (Path p : all) {
                    String rel = s.path().relativize(p).toString();
                    var attrs = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
                    md.update((rel + " " + attrs.get("mode") + " " + attrs.get("uid") + " " + attrs.get("gid") + " " + attrs.get("size") + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    // Contents are not read again: the sources' moby sums (in the step's history text,
                    // which is part of the cache key) already cover them; reading and hashing a 200 MiB
                    // COPY a second time cost every uncached build (bench/build).
                    if (Files.isSymbolicLink(p)) {
                        md.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
