package dev.berth.engine.client;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FiltersTest {
    @Test
    void writesDockersMapOfSetsForm() {
        Filters f = Filters.parse(List.of("label=a=b", "label=c", "dangling=true"));
        assertEquals("{\"label\":{\"a=b\":true,\"c\":true},\"dangling\":{\"true\":true}}", f.toJson());
        assertEquals(Set.of("a=b", "c"), f.get("label"));
    }

    @Test
    void handWrittenJsonEscapesLikeAJsonLibrary() throws Exception {
        Filters f = Filters.of("reference", "we\"ird\\name\n");
        assertEquals("we\"ird\\name\n", Json.MAPPER.readTree(f.toJson()).get("reference").fieldNames().next());
    }

    @Test
    void aFilterWithoutEqualsIsRejected() {
        BerthException e = assertThrows(BerthException.class, () -> Filters.parse(List.of("dangling")));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
        assertEquals("bad format of filter (expected name=value)", e.getMessage());
    }
}
