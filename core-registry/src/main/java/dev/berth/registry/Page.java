package dev.berth.registry;

import java.util.List;
import java.util.Optional;

/**
 * One page of a paginated listing. {@code next} is the {@code Link: <…>; rel="next"} target, present
 * while more remain.
 */
public record Page<T>(List<T> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
    }
}
