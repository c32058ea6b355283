package dev.berth.cli.format;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TabWriterTest {
    @Test
    void columnsAreAsWideAsTheirWidestCellPlusThreeButAtLeastTen() {
        String out = TabWriter.table()
                .write("REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n")
                .write("busybox\tlatest\t0123456789ab\t2 days ago\t4.26MB\n")
                .write("localhost:5000/team/app\tv1.2.3\tfedcba987654\t3 months ago\t77.9MB\n")
                .flush();
        String expected = ""
                + "REPOSITORY                TAG       IMAGE ID       CREATED        SIZE\n"
                + "busybox                   latest    0123456789ab   2 days ago     4.26MB\n"
                + "localhost:5000/team/app   v1.2.3    fedcba987654   3 months ago   77.9MB\n";
        assertEquals(expected, out);
    }

    @Test
    void theLastCellOfALineIsNotPadded() {
        String out = TabWriter.table().write("A\tB\n").write("aaaaaaaaaaaaaa\tb-is-long\n").flush();
        assertEquals("A" + " ".repeat(16) + "B\n" + "aaaaaaaaaaaaaa" + " ".repeat(3) + "b-is-long\n", out);
    }

    @Test
    void aLineWithoutTabsEndsTheAlignedBlock() {
        // As docker version prints: each section aligns on its own.
        String out = new TabWriter(20, 1)
                .write("Client:\n Version:\t1\n API version:\t1.47\n\nServer:\n Engine:\n  Version:\t2\n  Experimental:\tfalse\n")
                .flush();
        assertEquals("Client:\n Version:           1\n API version:       1.47\n\nServer:\n Engine:\n"
                + "  Version:          2\n  Experimental:     false\n", out);
    }

    @Test
    void blocksFollowGoRulesWhenRowsHaveFewerColumns() {
        // The second line has fewer cells: column 1 is computed for line 1 alone, column 0 for both.
        String out = TabWriter.table().write("a\tbbbbbbbbbbbbbbbb\tc\nd\te\n").flush();
        assertEquals("a         bbbbbbbbbbbbbbbb   c\nd         e\n", out);
    }

    @Test
    void anUnterminatedLastLineGetsNoNewline() {
        assertEquals("x         y", TabWriter.table().write("x\ty").flush());
    }

    @Test
    void wideCharactersCountTwice() {
        String out = TabWriter.table().write("名前\tx\nab\ty\n").flush();
        assertEquals("名前      x\nab        y\n", out);
    }

    @Test
    void ellipsisCutsToDisplayColumnsLikeDocker() {
        assertEquals("/bin/sh -c #(nop)  CMD [\"sh\"]", TabWriter.ellipsis("/bin/sh -c #(nop)  CMD [\"sh\"]", 45));
        String longLine = "/bin/sh -c apt-get update && apt-get install -y curl ca-certificates";
        String cut = TabWriter.ellipsis(longLine, 45);
        assertEquals(45, cut.codePointCount(0, cut.length()));
        assertEquals(longLine.substring(0, 44) + "…", cut);
    }
}
