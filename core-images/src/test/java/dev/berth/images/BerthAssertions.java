package dev.berth.images;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on {@link BerthException}s: the category and the words that tell a user why. */
public final class BerthAssertions {
    private BerthAssertions() {
    }

    /**
     * Asserts that {@code call} throws a BerthException of {@code category} whose message contains every
     * one of {@code fragments}; returns it for further checks.
     */
    public static BerthException assertFails(ErrorCategory category, Executable call, String... fragments) {
        BerthException e = assertThrows(BerthException.class, call);
        assertEquals(category, e.category(), () -> "category of: " + e.getMessage());
        assertNotNull(e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message \"" + e.getMessage() + "\" should contain \"" + f + "\"");
        }
        return e;
    }

    public static BerthException assertInvalid(Executable call, String... fragments) {
        return assertFails(ErrorCategory.INVALID_ARGUMENT, call, fragments);
    }
}
