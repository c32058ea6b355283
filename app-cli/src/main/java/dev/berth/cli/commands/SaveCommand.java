package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** {@code berth save}: the engine's tar of the images, to a file (written whole or not at all) or to stdout. */
public final class SaveCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(Opt.value('o', "output", "string", "Write to a file, instead of STDOUT"));

    String output;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "output" -> output = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws IOException {
        minArgs(1, args);
        if (output == null || output.isEmpty()) {
            if (cli.io().stdoutIsTerminal().getAsBoolean()) {
                throw new UsageError("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
            }
            OutputStream out = cli.io().rawOut();
            cli.client().saveImages(args, out);
            out.flush();
            return 0;
        }
        Path target = Path.of(output).toAbsolutePath();
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw BerthException.system("failed to save image: " + e.getMessage(), e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                cli.client().saveImages(args, out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }
}
