package dev.berth.images;

import dev.berth.errors.BerthException;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference normalised exactly as Docker's {@code reference.ParseNormalizedNamed} does:
 * {@code busybox} is {@code docker.io/library/busybox:latest}; the first path component is a registry
 * only if it has a dot or a colon, is {@code localhost}, or has an uppercase letter.
 */
public final class ImageReference {
    public static final String DOCKER_HUB = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
    private static final String DOMAIN = HOST + "(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    /** The name alone; tag and digest are checked separately so the regex only ever sees a bounded input. */
    private static final Pattern NAME = Pattern.compile(
            "^(?:(" + DOMAIN + ")/)?(" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)$");
    private static final Pattern TAG_ONLY = Pattern.compile("^" + TAG + "$");
    private static final Pattern HEX64 = Pattern.compile("^[a-f0-9]{64}$");
    private static final int MAX_NAME_LENGTH = 255;

    private final String registry;
    private final String repository;
    private final String tag;
    private final Digest digest;

    private ImageReference(String registry, String repository, String tag, Digest digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /** Parses and normalises; adds {@code :latest} when neither a tag nor a digest is given. */
    public static ImageReference parse(String input) {
        ImageReference ref = parseNormalizedNamed(input);
        if (ref.tag == null && ref.digest == null) {
            return new ImageReference(ref.registry, ref.repository, DEFAULT_TAG, null);
        }
        return ref;
    }

    /** Parses and normalises without adding a default tag (a bare repository name stays bare). */
    public static ImageReference parseNormalizedNamed(String input) {
        if (input == null || input.isEmpty()) {
            throw BerthException.invalid("invalid reference format: repository name must have at least one component");
        }
        if (HEX64.matcher(input).matches()) {
            throw BerthException.invalid("invalid repository name (" + input + "), cannot specify 64-byte hexadecimal strings");
        }
        String domain;
        String remainder;
        int slash = input.indexOf('/');
        String first = slash < 0 ? "" : input.substring(0, slash);
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase().equals(first))) {
            domain = DOCKER_HUB;
            remainder = input;
        } else {
            domain = first;
            remainder = input.substring(slash + 1);
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && remainder.indexOf('/') < 0) {
            remainder = "library/" + remainder;
        }
        String remoteName = remainder;
        String digestPart = null;
        int at = remoteName.indexOf('@');
        if (at >= 0) {
            digestPart = remoteName.substring(at + 1);
            remoteName = remoteName.substring(0, at);
        }
        String tag = null;
        int colon = remoteName.indexOf(':');
        if (colon >= 0) {
            tag = remoteName.substring(colon + 1);
            remoteName = remoteName.substring(0, colon);
        }
        if (!remoteName.toLowerCase().equals(remoteName)) {
            throw BerthException.invalid("invalid reference format: repository name (" + remoteName + ") must be lowercase");
        }
        // Length first: java.util.regex recurses once per repeated path component, so an unbounded
        // hostile name would overflow the stack instead of failing with a reason.
        if (domain.length() + 1 + remoteName.length() > MAX_NAME_LENGTH) {
            throw BerthException.invalid("invalid reference format: repository name must not be more than "
                    + MAX_NAME_LENGTH + " characters");
        }
        Matcher m = NAME.matcher(domain + "/" + remoteName);
        if (!m.matches()) {
            throw BerthException.invalid("invalid reference format: \"" + abbreviate(input) + "\" is not a valid image reference"
                    + " (expected [registry/]name[:tag][@digest], with a lowercase name)");
        }
        if (m.group(1) == null) {
            // The first component was taken as the registry (it has a dot) but is no host name, e.g.
            // "a_b.c/foo": the regex fell back to reading it as a path, which would leave no registry.
            throw BerthException.invalid("invalid reference format: \"" + abbreviate(domain)
                    + "\" is not a valid registry host name");
        }
        if (tag != null && !isValidTag(tag)) {
            throw BerthException.invalid("invalid reference format: invalid tag \"" + abbreviate(tag) + "\": a tag is 1 to "
                    + "128 characters from [A-Za-z0-9_.-] and must not start with '.' or '-'");
        }
        Digest digest;
        try {
            digest = digestPart == null ? null : Digest.parse(digestPart);
        } catch (BerthException e) {
            throw BerthException.invalid("invalid reference format: " + e.getMessage());
        }
        return new ImageReference(m.group(1), m.group(2), tag, digest);
    }

    private static String abbreviate(String s) {
        return s.length() <= 140 ? s : s.substring(0, 130) + "...(" + s.length() + " characters)";
    }

    /** True if {@code tag} is a syntactically valid tag. */
    public static boolean isValidTag(String tag) {
        return tag != null && TAG_ONLY.matcher(tag).matches();
    }

    public String registry() {
        return registry;
    }

    /** The repository path inside the registry, e.g. {@code library/busybox}. */
    public String repository() {
        return repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digest() {
        return Optional.ofNullable(digest);
    }

    /** {@code registry/repository}, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The name as Docker shows it: {@code busybox}, {@code user/app}, {@code localhost:5000/app}. */
    public String familiarName() {
        if (registry.equals(DOCKER_HUB)) {
            if (repository.startsWith("library/") && repository.indexOf('/', 8) < 0) {
                return repository.substring(8);
            }
            return repository;
        }
        return name();
    }

    /** The tag or digest to ask a registry for: the digest wins when both are present. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    public ImageReference withTag(String newTag) {
        if (!isValidTag(newTag)) {
            throw BerthException.invalid("invalid tag format: \"" + newTag + "\"");
        }
        return new ImageReference(registry, repository, newTag, null);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    /** Repository without tag or digest. */
    public ImageReference repositoryOnly() {
        return new ImageReference(registry, repository, null, null);
    }

    /** Familiar form with tag and/or digest, as in RepoTags: {@code busybox:latest}. */
    public String familiarString() {
        return familiarName() + suffix();
    }

    private String suffix() {
        return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** Fully qualified: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r && r.registry.equals(registry) && r.repository.equals(repository)
                && Objects.equals(r.tag, tag) && Objects.equals(r.digest, digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }
}
