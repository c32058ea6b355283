package dev.berth.images;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.berth.errors.BerthException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:e3b0…}. A validated value: every instance names a supported
 * algorithm and a hex string of exactly that algorithm's length, so code holding a Digest never
 * re-checks it (jib's DescriptorDigest does the same).
 */
public final class Digest implements Comparable<Digest> {
    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        final String prefix;
        final String jcaName;
        final int hexLength;

        Algorithm(String prefix, String jcaName, int hexLength) {
            this.prefix = prefix;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public String prefix() {
            return prefix;
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + jcaName, e);
            }
        }
    }

    private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]+");

    private final Algorithm algorithm;
    private final String hex;

    private Digest(Algorithm algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    @JsonCreator
    public static Digest parse(String value) {
        if (value == null) {
            throw BerthException.invalid("invalid digest: empty");
        }
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw BerthException.invalid("invalid digest \"" + value + "\": missing algorithm prefix such as sha256:");
        }
        String prefix = value.substring(0, colon);
        for (Algorithm a : Algorithm.values()) {
            if (a.prefix.equals(prefix)) {
                return of(a, value.substring(colon + 1));
            }
        }
        throw BerthException.invalid("invalid digest \"" + value + "\": unsupported digest algorithm " + prefix);
    }

    public static Digest of(Algorithm algorithm, String hex) {
        if (hex.length() != algorithm.hexLength || !LOWER_HEX.matcher(hex).matches()) {
            throw BerthException.invalid("invalid digest \"" + algorithm.prefix + ":" + hex + "\": " + algorithm.prefix
                    + " needs " + algorithm.hexLength + " lowercase hex characters");
        }
        return new Digest(algorithm, hex);
    }

    /** True if {@code value} is a well-formed digest. */
    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    public static Digest sha256Of(byte[] content) {
        return fromMessageDigest(Algorithm.SHA256, Algorithm.SHA256.newMessageDigest().digest(content));
    }

    public static Digest fromMessageDigest(Algorithm algorithm, byte[] digestBytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(digestBytes));
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public String hex() {
        return hex;
    }

    /** The first 12 hex characters, as docker prints image IDs. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm.prefix + ":" + hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && d.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }
}
