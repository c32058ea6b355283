package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.cli.auth.CredentialStore;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.engine.client.model.AuthResponse;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code berth login}: has the engine check the credentials ({@code POST /auth}), then stores them
 * in docker's config.json (an identity token instead of the password when the registry gives one).
 */
public final class LoginCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('p', "password", "string", "Password or Personal Access Token (PAT)"),
            Opt.bool("password-stdin", "Take the Password or Personal Access Token (PAT) from stdin"),
            Opt.value('u', "username", "string", "Username"));

    String password;
    boolean passwordStdin;
    String username;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "password" -> password = value;
            case "password-stdin" -> passwordStdin = Boolean.parseBoolean(value);
            case "username" -> username = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws IOException {
        maxArgs(1, args);
        if (passwordStdin) {
            if (password != null) {
                throw new UsageError("conflicting options: cannot specify both --password and --password-stdin", 1);
            }
            if (username == null) {
                throw new UsageError("the --password-stdin option requires --username to be set", 1);
            }
        }
        if (username != null && username.isEmpty()) {
            throw new UsageError("username is empty", 1);
        }
        if (password != null && password.isEmpty()) {
            throw new UsageError("password is empty", 1);
        }
        if (password != null) {
            err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (passwordStdin) {
            String contents = new String(cli.io().in().readAllBytes(), StandardCharsets.UTF_8);
            contents = contents.endsWith("\n") ? contents.substring(0, contents.length() - 1) : contents;
            password = contents.endsWith("\r") ? contents.substring(0, contents.length() - 1) : contents;
        }
        String server = args.isEmpty() || args.getFirst().equals("docker.io") ? CredentialStore.DOCKER_HUB_SERVER : args.getFirst();
        CredentialStore store = cli.credentials();

        if (username == null && password == null) {
            AuthConfig stored = store.get(server);
            if (stored != null && stored.username() != null && (stored.password() != null || stored.identityToken() != null)) {
                err().println("Authenticating with existing credentials... [Username: " + stored.username() + "]");
                try {
                    AuthResponse response = cli.client().auth(stored);
                    store.store(withToken(stored, response));
                    out().println(status(response));
                    return 0;
                } catch (BerthException e) {
                    err().println(e.category() == ErrorCategory.UNAUTHORIZED ? "Stored credentials invalid or expired"
                            : "Login did not succeed, error: " + e.getMessage());
                    if (e.category() == ErrorCategory.UNAVAILABLE) {
                        throw e;
                    }
                }
            }
        }
        if (username == null || password == null) {
            if (!cli.io().stdinIsTerminal().getAsBoolean()) {
                throw new UsageError("Error: Cannot perform an interactive login from a non TTY device", 1);
            }
            prompt(server);
        }
        AuthConfig auth = AuthConfig.basic(username, password, server);
        AuthResponse response = cli.client().auth(auth);
        store.store(withToken(auth, response));
        out().println(status(response));
        return 0;
    }

    /** Asks for what the flags did not give, echoing the username but not the password. */
    private void prompt(String server) throws IOException {
        Console console = System.console();
        BufferedReader reader = new BufferedReader(new InputStreamReader(cli.io().in(), StandardCharsets.UTF_8));
        if (username == null) {
            out().print("Username: ");
            out().flush();
            String line = reader.readLine();
            username = line == null ? "" : line.strip();
            if (username.isEmpty()) {
                throw new UsageError("Error: Non-null Username Required", 1);
            }
        }
        if (password == null) {
            out().flush();
            char[] pw = console != null ? console.readPassword("Password: ") : null;
            if (pw == null) {
                out().print("Password: ");
                out().flush();
                String line = reader.readLine();
                pw = line == null ? new char[0] : line.toCharArray();
            }
            password = new String(pw);
            if (password.isEmpty()) {
                throw new UsageError("Error: Password Required", 1);
            }
        }
    }

    private static AuthConfig withToken(AuthConfig auth, AuthResponse response) {
        if (response.identityToken() != null && !response.identityToken().isEmpty()) {
            return new AuthConfig(auth.username(), null, auth.serverAddress(), response.identityToken(), null);
        }
        return auth;
    }

    private static String status(AuthResponse response) {
        return response.status() == null || response.status().isEmpty() ? "Login Succeeded" : response.status();
    }
}
