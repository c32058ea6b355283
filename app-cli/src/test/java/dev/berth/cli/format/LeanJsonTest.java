package dev.berth.cli.format;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LeanJson reads what GoJson (jackson-core) reads into the same values, and refuses what it refuses. */
class LeanJsonTest {
    private static Object lean(String json) throws IOException {
        return LeanJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Object jackson(String json) throws IOException {
        return GoJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheSameValuesAsJackson() throws IOException {
        for (String json : List.of(
                "[{\"Id\":\"8169c8\",\"Names\":[\"/a\"],\"Created\":1700000000,\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80}],"
                        + "\"Labels\":{\"a\":\"b\",\"e\":\"\"},\"SizeRw\":-1,\"NetworkSettings\":{\"Networks\":{\"bridge\":{\"IPAMConfig\":null,"
                        + "\"IPPrefixLen\":24,\"Ok\":true,\"No\":false}}},\"Mounts\":[]}]",
                " \t\r\n{ \"a\" : [ 1 , -2 , 0 , -0 , 12345678901234567890123 , 1.50 , -0.5e-3 , 2E+10 , 1e5 ] } \n",
                "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC \\ud83d\\ude00 end\"",
                "\"caf\u00e9 \u20ac \uD83D\uDE00 plain\"",
                "{\"dup\":1,\"x\":2,\"dup\":3}",
                "[[],{},[[]],\"\",null,true,false]",
                "9223372036854775807", "-9223372036854775808", "999999999999999999", "123456789012345678901234567890")) {
            assertEquals(jackson(json), lean(json), json);
        }
    }

    @Test
    void integersAreBigIntegersAndFractionsBigDecimals() throws IOException {
        Map<?, ?> m = (Map<?, ?>) lean("{\"i\":42,\"d\":1.50,\"e\":1e3}");
        assertInstanceOf(BigInteger.class, m.get("i"));
        assertEquals(new BigDecimal("1.50"), m.get("d"));
        assertEquals(new BigDecimal("1e3"), m.get("e"));
    }

    @Test
    void refusesWhatJacksonRefuses() {
        for (String json : List.of("", "   ", "[1,]", "{\"a\":1,}", "{a:1}", "[01]", "[1.]", "[-]", "[.5]", "[1e]", "tru", "nul",
                "truex", "[1 2]", "{\"a\" 1}", "\"open", "\"bad \\x escape\"", "\"\\u12G4\"", "[1]]", "{} {}", "'a'", "[NaN]",
                "\"tab\there\"", "[1x]", "[", "{", "{\"a\":")) {
            assertThrows(IOException.class, () -> jackson(json), "jackson accepts " + json);
            assertThrows(IOException.class, () -> lean(json), "lean accepts " + json);
        }
    }

    @Test
    void refusesNestingBeyondJacksonsLimit() throws IOException {
        String ok = "[".repeat(1000) + "]".repeat(1000);
        assertEquals(jackson(ok), lean(ok));
        String deep = "[".repeat(1001) + "]".repeat(1001);
        assertThrows(IOException.class, () -> jackson(deep));
        assertThrows(IOException.class, () -> lean(deep));
    }
}
