package dev.berth.engine.format;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnitsTest {
    @Test
    void imageSizesUseThreeSignificantDigitsAndDecimalUnits() {
        assertEquals("4.26MB", Units.humanSizeWithPrecision(4_261_234, 3));
        assertEquals("0B", Units.humanSizeWithPrecision(0, 3));
        assertEquals("999B", Units.humanSizeWithPrecision(999, 3));
        assertEquals("1kB", Units.humanSizeWithPrecision(1000, 3));
        assertEquals("1.5GB", Units.humanSizeWithPrecision(1_500_000_000L, 3));
        assertEquals("77.9MB", Units.humanSizeWithPrecision(77_863_124, 3));
        assertEquals("125MB", Units.humanSizeWithPrecision(124_999_999, 3));
    }

    @Test
    void goSwitchesToAnExponentWhenRoundingReachesTheNextPower() {
        // 999999 B is 999.999 kB, which rounds to 1000 at three digits: Go's %g prints 1e+03.
        assertEquals("1e+03kB", Units.humanSizeWithPrecision(999_999, 3));
        assertEquals("1000kB", Units.humanSize(999_999.0 + 0.4)); // four digits still fit
    }

    @Test
    void humanSizeKeepsFourDigits() {
        assertEquals("4.261MB", Units.humanSize(4_261_234));
        assertEquals("12.35kB", Units.humanSize(12_345));
        assertEquals("0B", Units.humanSize(0));
    }

    @Test
    void bytesSizeUsesBinaryUnits() {
        assertEquals("8GiB", Units.bytesSize(8L * 1024 * 1024 * 1024));
        assertEquals("7.775GiB", Units.bytesSize(8_348_672_000L));
        assertEquals("512B", Units.bytesSize(512));
    }

    @Test
    void durationsReadAsDockersDo() {
        assertEquals("Less than a second", Units.humanDuration(Duration.ofMillis(500)));
        assertEquals("1 second", Units.humanDuration(Duration.ofSeconds(1)));
        assertEquals("59 seconds", Units.humanDuration(Duration.ofSeconds(59)));
        assertEquals("About a minute", Units.humanDuration(Duration.ofSeconds(61)));
        assertEquals("59 minutes", Units.humanDuration(Duration.ofMinutes(59)));
        assertEquals("About an hour", Units.humanDuration(Duration.ofMinutes(89)));
        assertEquals("2 hours", Units.humanDuration(Duration.ofMinutes(90)), "hours round half up");
        assertEquals("47 hours", Units.humanDuration(Duration.ofHours(47)));
        assertEquals("2 days", Units.humanDuration(Duration.ofHours(48)));
        assertEquals("13 days", Units.humanDuration(Duration.ofDays(13)));
        assertEquals("2 weeks", Units.humanDuration(Duration.ofDays(14)));
        assertEquals("8 weeks", Units.humanDuration(Duration.ofDays(59)));
        assertEquals("2 months", Units.humanDuration(Duration.ofDays(60)));
        assertEquals("2 years", Units.humanDuration(Duration.ofDays(730)));
    }

    @Test
    void goDurationStrings() {
        assertEquals("0s", Units.goDuration(0));
        assertEquals("45s", Units.goDuration(45));
        assertEquals("1m5s", Units.goDuration(65));
        assertEquals("2h0m1s", Units.goDuration(7201));
    }

    @Test
    void idsAndEllipsis() {
        assertEquals("0123456789ab", Units.truncateId("sha256:0123456789abcdef"));
        assertEquals("short", Units.truncateId("short"));
    }

    @Test
    void ramInBytesUsesBinaryMultiplesAndGoUnitsErrors() {
        assertEquals(10L << 20, Units.ramInBytes("10m"));
        assertEquals(10L << 20, Units.ramInBytes("10 MiB"));
        assertEquals(1536, Units.ramInBytes("1.5k"));
        assertEquals(1L << 30, Units.ramInBytes("1GB"));
        assertEquals(42, Units.ramInBytes("42"));
        assertEquals(42, Units.ramInBytes("42b"));
        assertEquals("invalid size: 'lots'",
                assertThrows(IllegalArgumentException.class, () -> Units.ramInBytes("lots")).getMessage());
        assertEquals("invalid size: '-1m'",
                assertThrows(IllegalArgumentException.class, () -> Units.ramInBytes("-1m")).getMessage());
        assertEquals("invalid suffix: 'mx'",
                assertThrows(IllegalArgumentException.class, () -> Units.ramInBytes("1mx")).getMessage());
        assertEquals("strconv.ParseFloat: parsing \"1.2.3\": invalid syntax",
                assertThrows(IllegalArgumentException.class, () -> Units.ramInBytes("1.2.3m")).getMessage());
    }
}
