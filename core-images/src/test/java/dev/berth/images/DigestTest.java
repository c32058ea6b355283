package dev.berth.images;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.berth.images.BerthAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestTest {
    /** sha256 of the empty string, a value every container tool knows. */
    static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String EMPTY_SHA512 = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    @Test
    void parsesSha256() {
        Digest d = Digest.parse(EMPTY_SHA256);
        assertEquals(Digest.Algorithm.SHA256, d.algorithm());
        assertEquals(EMPTY_SHA256.substring(7), d.hex());
        assertEquals(EMPTY_SHA256, d.toString());
        assertEquals("e3b0c44298fc", d.shortHex());
    }

    @Test
    void parsesSha512() {
        Digest d = Digest.parse(EMPTY_SHA512);
        assertEquals(Digest.Algorithm.SHA512, d.algorithm());
        assertEquals(128, d.hex().length());
        assertEquals(EMPTY_SHA512, d.toString());
    }

    @Test
    void computesSha256OfContent() {
        assertEquals(Digest.parse(EMPTY_SHA256), Digest.sha256Of(new byte[0]));
        assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                Digest.sha256Of("hello".getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Test
    void messageDigestOfTheAlgorithmAgreesWithParse() {
        byte[] sha512 = Digest.Algorithm.SHA512.newMessageDigest().digest(new byte[0]);
        assertEquals(Digest.parse(EMPTY_SHA512), Digest.fromMessageDigest(Digest.Algorithm.SHA512, sha512));
    }

    @Test
    void rejectsWrongLengthSayingHowLongItMustBe() {
        assertInvalid(() -> Digest.parse("sha256:abc"), "sha256 needs 64 lowercase hex characters");
        assertInvalid(() -> Digest.parse(EMPTY_SHA256 + "0"), "64");
        assertInvalid(() -> Digest.parse("sha512:" + EMPTY_SHA256.substring(7)), "sha512 needs 128");
        assertInvalid(() -> Digest.parse("sha256:"), "needs 64");
    }

    @Test
    void rejectsUppercaseHex() {
        assertInvalid(() -> Digest.parse(EMPTY_SHA256.toUpperCase().replace("SHA256", "sha256")), "lowercase hex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:zzb0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256: 3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\n"})
    void rejectsNonHexCharacters(String value) {
        assertInvalid(() -> Digest.parse(value), "invalid digest", "hex");
    }

    @Test
    void rejectsUnknownAlgorithmByName() {
        assertInvalid(() -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"), "unsupported digest algorithm md5");
        assertInvalid(() -> Digest.parse("SHA256:" + EMPTY_SHA256.substring(7)), "unsupported digest algorithm SHA256");
        assertInvalid(() -> Digest.parse(":" + EMPTY_SHA256.substring(7)), "unsupported digest algorithm");
    }

    @Test
    void rejectsMissingPrefixAndNull() {
        assertInvalid(() -> Digest.parse(EMPTY_SHA256.substring(7)), "missing algorithm prefix");
        assertInvalid(() -> Digest.parse(null), "empty");
        assertInvalid(() -> Digest.parse(""), "missing algorithm prefix");
    }

    @Test
    void isValidAnswersWithoutThrowing() {
        assertTrue(Digest.isValid(EMPTY_SHA256));
        assertFalse(Digest.isValid("sha256:abc"));
        assertFalse(Digest.isValid(null));
    }

    @Test
    void equalityAndOrdering() {
        Digest a = Digest.parse(EMPTY_SHA256);
        assertEquals(a, Digest.parse(EMPTY_SHA256));
        assertEquals(a.hashCode(), Digest.parse(EMPTY_SHA256).hashCode());
        assertNotEquals(a, Digest.parse(EMPTY_SHA512));
        assertNotEquals(a, Digest.sha256Of(new byte[] {1}));
        var sorted = new TreeSet<>(List.of(Digest.parse(EMPTY_SHA512), a));
        assertEquals(a, sorted.first(), "sha256 sorts before sha512, as the string form does");
    }

    @Test
    void jsonRoundTripIsThePlainString() throws Exception {
        Digest d = Digest.parse(EMPTY_SHA256);
        String json = Json.MAPPER.writeValueAsString(Map.of("digest", d));
        assertEquals("{\"digest\":\"" + EMPTY_SHA256 + "\"}", json);
        record Holder(Digest digest) {
        }
        assertEquals(d, Json.MAPPER.readValue(json, Holder.class).digest());
        assertEquals(d, Json.MAPPER.readValue("\"" + EMPTY_SHA256 + "\"", Digest.class));
    }

    @Test
    void jsonWithBadDigestFailsWithOurReason() {
        JsonMappingException e = assertThrows(JsonMappingException.class,
                () -> Json.MAPPER.readValue("\"sha256:abc\"", Digest.class));
        Throwable cause = e.getCause();
        assertInstanceOf(BerthException.class, cause);
        assertTrue(cause.getMessage().contains("needs 64"), cause.getMessage());
    }
}
