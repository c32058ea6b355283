package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** {@code berth export}: the container's filesystem as a tar, to {@code -o FILE} or a non-terminal stdout. */
public final class ExportCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(Opt.value('o', "output", "string", "Write to a file, instead of STDOUT"));

    String output;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        if (!name.equals("output")) {
            throw new IllegalArgumentException(name);
        }
        output = value;
    }

    @Override
    public int run() throws Exception {
        exactArgs(1, args);
        if ((output == null || output.isEmpty()) && cli.io().stdoutIsTerminal().getAsBoolean()) {
            throw new UsageError("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
        try (InputStream tar = cli.client().containers().export(args.getFirst())) {
            if (output == null || output.isEmpty()) {
                OutputStream out = cli.io().rawOut();
                tar.transferTo(out);
                out.flush();
            } else {
                Path target = Path.of(output).toAbsolutePath();
                Path tmp = Files.createTempFile(target.getParent(), ".berth-export", ".tmp");
                try {
                    Files.copy(tar, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return 0;
    }
}
