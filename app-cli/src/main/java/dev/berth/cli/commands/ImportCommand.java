package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.errors.BerthException;
import dev.berth.images.ImageReference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth import file|URL|- [REPOSITORY[:TAG]]}: a tarball becomes a one-layer image; prints its
 * ID as the engine streams it. As docker's CLI: "-" sends stdin, an http(s) URL is for the engine to
 * download, anything else is a local file sent as the body.
 */
public final class ImportCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('c', "change", "list", "Apply Dockerfile instruction to the created image"),
            Opt.value('m', "message", "string", "Set commit message for imported image"),
            Opt.value("platform", "string", "Set platform if server is multi-platform capable"));

    final List<String> changes = new ArrayList<>();
    String message;
    String platform;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "change" -> changes.add(value);
            case "message" -> message = value;
            case "platform" -> platform = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws IOException {
        minArgs(1, args);
        maxArgs(2, args);
        String source = args.getFirst();
        String repo = args.size() == 2 ? args.get(1) : null;
        if (repo != null) {
            try {
                ImageReference.parseNormalizedNamed(repo);
            } catch (BerthException e) {
                throw BerthException.invalid("invalid reference format");
            }
        }
        if (source.equals("-")) {
            Progress.show(cli, cli.client().importImage(cli.io().in(), -1, "-", repo, message, changes, platform), false);
        } else if (source.startsWith("http://") || source.startsWith("https://")) {
            Progress.show(cli, cli.client().importImage(null, 0, source, repo, message, changes, platform), false);
        } else {
            Path file = Path.of(source);
            try (InputStream in = Files.newInputStream(file)) {
                Progress.show(cli, cli.client().importImage(in, Files.size(file), "-", repo, message, changes, platform),
                        false);
            } catch (NoSuchFileException e) {
                throw BerthException.invalid("open " + source + ": no such file or directory");
            }
        }
        return 0;
    }
}
