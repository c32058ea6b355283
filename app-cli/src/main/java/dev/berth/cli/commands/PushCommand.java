package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.errors.BerthException;
import dev.berth.images.ImageReference;

import java.util.List;

/** {@code berth push}: asks the engine to push one tag and draws its progress. */
public final class PushCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(Opt.bool('q', "quiet", "Suppress verbose output"));

    boolean quiet;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "quiet" -> quiet = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        exactArgs(1, args);
        ImageReference ref = ImageReference.parseNormalizedNamed(args.getFirst());
        if (ref.digest().isPresent()) {
            throw BerthException.invalid("cannot push a digest reference");
        }
        if (ref.tag().isEmpty()) {
            ref = ref.withTag(ImageReference.DEFAULT_TAG);
            if (!quiet) {
                out().println("Using default tag: " + ImageReference.DEFAULT_TAG);
            }
        }
        AuthConfig auth = cli.credentials().forRegistry(ref.registry());
        Progress.show(cli, cli.client().pushImage(ref.toString(), auth), quiet);
        if (quiet) {
            out().println(ref);
        }
        return 0;
    }
}
