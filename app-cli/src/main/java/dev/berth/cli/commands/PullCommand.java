package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.auth.CredentialStore;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.images.ImageReference;

import java.util.List;

/** {@code berth pull}: asks the engine to pull, draws its progress, then prints the full reference. */
public final class PullCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value("platform", "string", "Set platform if server is multi-platform capable"),
            Opt.bool('q', "quiet", "Suppress verbose output"));

    boolean quiet;
    String platform;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "quiet" -> quiet = Boolean.parseBoolean(value);
            case "platform" -> platform = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        exactArgs(1, args);
        ImageReference ref = ImageReference.parseNormalizedNamed(args.getFirst());
        if (ref.tag().isEmpty() && ref.digest().isEmpty()) {
            ref = ref.withTag(ImageReference.DEFAULT_TAG);
            if (!quiet) {
                out().println("Using default tag: " + ImageReference.DEFAULT_TAG);
            }
        }
        AuthConfig auth = cli.credentials().forRegistry(ref.registry());
        cli.debugLog("pull " + ref + " as " + (auth.username() == null ? "anonymous" : auth.username())
                + " (credentials for " + CredentialStore.serverFor(ref.registry()) + ")");
        Progress.show(cli, cli.client().pullImage(ref.toString(), platform, auth), quiet);
        out().println(ref);
        return 0;
    }
}
