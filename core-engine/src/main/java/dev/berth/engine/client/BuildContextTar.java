package dev.berth.engine.client;

import dev.berth.images.dockerfile.DockerIgnore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The build context as the docker CLI sends it (moby pkg/archive TarWithOptions): the directory's
 * entries in lexical walk order, minus what {@code .dockerignore} excludes, except that the
 * Dockerfile and {@code .dockerignore} always go (docker's TrimBuildFilesFromExcludes). Symlinks
 * are sent as symlinks, never followed; modification times are whole seconds. The CLI's build and
 * the desktop's build wizard both send this, so the engine sees the same context from either.
 */
public final class BuildContextTar {
    private final Path root;
    private final DockerIgnore ignore;
    private final String extraName;
    private final byte[] extraContent;

    /**
     * @param dockerfileRel the Dockerfile's path inside the context (slash-separated), or null
     * @param extraName     a Dockerfile from outside the context, sent under this name (or null)
     */
    public BuildContextTar(Path root, String dockerfileRel, String extraName, byte[] extraContent) throws IOException {
        this.root = root;
        this.extraName = extraName;
        this.extraContent = extraContent;
        Path ignoreFile = root.resolve(".dockerignore");
        List<String> patterns = new ArrayList<>();
        if (Files.isRegularFile(ignoreFile)) {
            patterns.addAll(DockerIgnore.parse(Files.readString(ignoreFile, StandardCharsets.UTF_8)).patterns());
        }
        if (!patterns.isEmpty()) {
            DockerIgnore first = DockerIgnore.of(patterns);
            if (first.matches(".dockerignore")) {
                patterns.add("!.dockerignore");
            }
            if (dockerfileRel != null && first.matches(dockerfileRel)) {
                patterns.add("!" + dockerfileRel);
            }
        }
        this.ignore = DockerIgnore.of(patterns);
    }

    public void write(OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            walk(tar, root, "");
            if (extraName != null) {
                TarArchiveEntry e = new TarArchiveEntry(extraName);
                e.setMode(0600); // the docker CLI's AddDockerfileToBuildContext header
                e.setSize(extraContent.length);
                e.setModTime(System.currentTimeMillis() / 1000 * 1000);
                tar.putArchiveEntry(e);
                tar.write(extraContent);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private void walk(TarArchiveOutputStream tar, Path dir, String prefix) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = new ArrayList<>(s.toList());
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path p : children) {
            String rel = prefix + p.getFileName();
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            boolean excluded = ignore.matches(rel);
            if (excluded && (!isDir || ignore.canSkipDirectory(rel))) {
                continue;
            }
            if (!excluded) {
                entry(tar, p, rel, isDir);
            }
            if (isDir) {
                walk(tar, p, rel + "/");
            }
        }
    }

    private static void entry(TarArchiveOutputStream tar, Path p, String rel, boolean isDir) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,size", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        TarArchiveEntry e;
        if (Files.isSymbolicLink(p)) {
            e = new TarArchiveEntry(rel, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (isDir) {
            e = new TarArchiveEntry(rel + "/");
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            e = new TarArchiveEntry(rel);
            e.setSize((Long) a.get("size"));
        } else {
            return; // sockets, fifos, devices: docker sends them, a build cannot use them
        }
        // As the docker CLI's tar (ChownOpts 0:0; Go's FileInfoHeader keeps permission and set-id bits,
        // not the file type): the engine names COPY sources by sums over these headers, so both CLIs
        // get the same history and share the build cache.
        e.setMode(mode & 07777);
        e.setIds(0, 0);
        e.setModTime(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis() / 1000 * 1000);
        tar.putArchiveEntry(e);
        if (e.isFile()) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

}
