package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.auth.CredentialStore;

import java.util.ArrayList;
import java.util.List;

/** {@code berth logout}: forgets stored credentials for a registry, under every key docker may have used. */
public final class LogoutCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of();

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        throw new IllegalArgumentException(name); // takes no flags: the parser rejects any first
    }

    @Override
    public int run() {
        maxArgs(1, args);
        String server = args.isEmpty() ? CredentialStore.DOCKER_HUB_SERVER : args.getFirst();
        boolean isDefault = args.isEmpty();
        List<String> keys = new ArrayList<>();
        keys.add(server);
        String hostname = server;
        if (!isDefault) {
            hostname = CredentialStore.toHostname(server);
            keys.add(hostname);
            keys.add("http://" + hostname);
            keys.add("https://" + hostname);
        }
        out().println("Removing login credentials for " + hostname);
        CredentialStore store = cli.credentials();
        for (String key : keys) {
            store.erase(key);
        }
        return 0;
    }
}
