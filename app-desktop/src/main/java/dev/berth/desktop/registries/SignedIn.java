package dev.berth.desktop.registries;

import dev.berth.registry.Credential;
import dev.berth.registry.CredentialStore;

import java.util.Optional;

/**
 * Who is signed in to a registry, for every part of the app that shows or uses it (the registries
 * list, the push wizard's Docker Hub namespace, the build wizard's default tag). The secret lives in
 * docker's config.json or credential helper; a helper given an identity token keeps it under docker's
 * {@code <token>} user, so the user name then comes from the desktop catalog's note of the sign-in.
 */
public final class SignedIn {
    private SignedIn() {
    }

    /** The user name; empty when signed in under a name nobody recorded (a token from outside the app). */
    public static Optional<String> user(CredentialStore credentials, RegistryList list, String host) {
        Credential c = credentials.get(host);
        if (c.isAnonymous()) {
            return Optional.empty();
        }
        if (c.username() != null && !c.username().isEmpty()) {
            return Optional.of(c.username());
        }
        return Optional.of(list.rememberedUser(host).orElse(""));
    }
}
