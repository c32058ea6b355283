package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.errors.BerthException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code berth load}: sends a tar from a file or stdin to the engine and shows what it loaded. An OCI
 * image layout directory (what {@code skopeo copy … oci:DIR} writes) is sent as a tar of itself.
 */
public final class LoadCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('i', "input", "string", "Read from tar archive file, instead of STDIN"),
            Opt.bool('q', "quiet", "Suppress the load output"));

    String input;
    boolean quiet;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "input" -> input = value;
            case "quiet" -> quiet = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws IOException {
        noArgs(args);
        // docker asks the engine for quiet output whenever stdout is not a terminal: progress bars
        // would only be dropped anyway, and "Loaded image" lines still come.
        boolean quietLoad = quiet || !cli.io().stdoutIsTerminal().getAsBoolean();
        if (input == null || input.isEmpty()) {
            if (cli.io().stdinIsTerminal().getAsBoolean()) {
                throw new UsageError("requested load from stdin, but stdin is empty", 1);
            }
            Progress.show(cli, cli.client().loadImages(cli.io().in(), -1, quietLoad), false);
            return 0;
        }
        Path file = Path.of(input);
        if (Files.isDirectory(file)) {
            loadLayoutDirectory(file, quietLoad);
            return 0;
        }
        try (InputStream in = Files.newInputStream(file)) {
            Progress.show(cli, cli.client().loadImages(in, Files.size(file), quietLoad), false);
        } catch (NoSuchFileException e) {
            throw BerthException.invalid("open " + input + ": no such file or directory");
        }
        return 0;
    }

    private void loadLayoutDirectory(Path dir, boolean quietLoad) throws IOException {
        if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
            throw BerthException.invalid(dir + " is a directory but not an OCI image layout (no oci-layout file)");
        }
        PipedInputStream in = new PipedInputStream(256 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                List<Path> files;
                try (var walk = Files.walk(dir)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    TarArchiveEntry e = new TarArchiveEntry(dir.relativize(f).toString());
                    e.setSize(Files.size(f));
                    tar.putArchiveEntry(e);
                    Files.copy(f, tar);
                    tar.closeArchiveEntry();
                }
            } catch (IOException e) {
                // The engine sees a truncated tar and says so; nothing more useful to add here.
            }
        });
        try (in) {
            Progress.show(cli, cli.client().loadImages(in, -1, quietLoad), false);
        } finally {
            writer.interrupt();
        }
    }
}
