package dev.berth.desktop.push;

import dev.berth.errors.BerthException;
import dev.berth.registry.RegistryHosts;

import java.util.regex.Pattern;

/**
 * Where the push wizard sends an image: Docker Hub as {@code docker.io/<user>/<repo>:<tag>}, or
 * {@code <registry>/<repo>:<tag>} on any listed registry. Validation happens here so the wizard can say
 * what is wrong before anything is tagged or pushed.
 */
public record PushTarget(String registry, String repository, String tag) {
    /** Docker Hub: 2-255 characters of lower-case letters, digits and . _ - (no leading/trailing separator). */
    private static final Pattern HUB_REPO = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    /** Distribution's path component and tag grammar. */
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** A Docker Hub target for the signed-in {@code user}. */
    public static PushTarget dockerHub(String user, String repo, String tag) {
        if (user == null || user.isEmpty()) {
            throw BerthException.invalid("Sign in to Docker Hub first: pushes go to your own namespace");
        }
        if (repo.length() < 2 || repo.length() > 255 || !HUB_REPO.matcher(repo).matches()) {
            throw BerthException.invalid("\"" + repo + "\" is not a valid Docker Hub repository name: use 2 to 255 "
                    + "lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
        }
        return new PushTarget("docker.io", user.toLowerCase(java.util.Locale.ROOT) + "/" + repo, checkTag(tag));
    }

    /** A target on any other registry; {@code repository} may have several path components. */
    public static PushTarget on(String registry, String repository, String tag) {
        if (RegistryHosts.isDockerHub(registry)) {
            int slash = repository.indexOf('/');
            if (slash < 0) {
                throw BerthException.invalid("Docker Hub repositories are <user>/<name>");
            }
            return dockerHub(repository.substring(0, slash), repository.substring(slash + 1), tag);
        }
        for (String part : repository.split("/", -1)) {
            if (!COMPONENT.matcher(part).matches()) {
                throw BerthException.invalid("\"" + repository + "\" is not a valid repository name: use lower-case "
                        + "letters, digits and separators (. _ -), with '/' between parts");
            }
        }
        return new PushTarget(registry, repository, checkTag(tag));
    }

    private static String checkTag(String tag) {
        String t = tag == null || tag.isBlank() ? "latest" : tag.strip();
        if (!TAG.matcher(t).matches()) {
            throw BerthException.invalid("\"" + t + "\" is not a valid tag: up to 128 letters, digits, '_', '.' or '-', "
                    + "not starting with '.' or '-'");
        }
        return t;
    }

    /** The reference to tag the local image as and push. */
    public String reference() {
        return registry + "/" + repository + ":" + tag;
    }

    /** The command to show after a push: by digest, so it pulls exactly what was pushed. */
    public String pullCommand(String digest) {
        String name = registry.equals("docker.io") ? repository : registry + "/" + repository;
        return "docker pull " + name + "@" + digest;
    }
}
