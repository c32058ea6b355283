package dev.berth.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgParserTest {
    private static final List<Opt> OPTS = List.of(
            Opt.bool('a', "all", "all"),
            Opt.bool('q', "quiet", "quiet"),
            Opt.value('f', "filter", "filter", "filter"),
            Opt.value("format", "string", "format"));

    private final List<String> seen = new ArrayList<>();
    private final ArgParser.Sink sink = new ArgParser.Sink() {
        @Override
        public void flag(String longName, String value) {
            seen.add(longName + "=" + value);
        }

        @Override
        public void argument(String value) {
            seen.add("arg:" + value);
        }
    };

    private boolean parse(String... args) throws ArgParser.FlagError {
        return ArgParser.parse(List.of(args), OPTS, sink);
    }

    @Test
    void longShortAttachedAndSeparateValues() throws ArgParser.FlagError {
        parse("--format", "{{.ID}}", "--format={{.Tag}}", "-f", "a=1", "-fb=2", "-f=c=3");
        assertEquals(List.of("format={{.ID}}", "format={{.Tag}}", "filter=a=1", "filter=b=2", "filter=c=3"), seen);
    }

    @Test
    void clusteredBooleansAndAClusterEndingInAValueFlag() throws ArgParser.FlagError {
        parse("-aq", "-af", "x=y");
        assertEquals(List.of("all=true", "quiet=true", "all=true", "filter=x=y"), seen);
    }

    @Test
    void booleansTakeExplicitValuesOnlyWithEquals() throws ArgParser.FlagError {
        parse("--all=false", "-q=0", "--quiet", "false");
        assertEquals(List.of("all=false", "quiet=false", "quiet=true", "arg:false"), seen);
    }

    @Test
    void flagsAndArgumentsMixAndDoubleDashEndsFlags() throws ArgParser.FlagError {
        parse("busybox", "-a", "--", "-q", "--all");
        assertEquals(List.of("arg:busybox", "all=true", "arg:-q", "arg:--all"), seen);
        seen.clear();
        parse("-");
        assertEquals(List.of("arg:-"), seen);
    }

    @Test
    void helpIsRecognisedAnywhere() throws ArgParser.FlagError {
        assertTrue(parse("x", "--help"));
        assertTrue(parse("-ah"));
        assertFalse(parse("-a"));
    }

    @Test
    void errorsUsePflagWording() {
        assertEquals("unknown flag: --bogus", assertThrows(ArgParser.FlagError.class, () -> parse("--bogus=1")).getMessage());
        assertEquals("unknown shorthand flag: 'x' in -ax", assertThrows(ArgParser.FlagError.class, () -> parse("-ax")).getMessage());
        assertEquals("flag needs an argument: --format", assertThrows(ArgParser.FlagError.class, () -> parse("--format")).getMessage());
        assertEquals("flag needs an argument: 'f' in -f", assertThrows(ArgParser.FlagError.class, () -> parse("-f")).getMessage());
        assertEquals("invalid argument \"maybe\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax",
                assertThrows(ArgParser.FlagError.class, () -> parse("--all=maybe")).getMessage());
    }
}
