package dev.berth.cli.format;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row's fields in a fixed order, each computed when it is first read. A template asks a row for
 * one field at a time, and the default tables show a few of a dozen fields: computing all of them
 * for every lookup made {@code berth ps} format creation dates in the local zone it never shows,
 * which reads the JDK's time-zone and locale data and scans every jar of the class path for a zone
 * provider (tens of milliseconds of a cold start, bench/cli/RESULTS.md). Iterating (as
 * {@code {{json .}}} does) computes every field, in order.
 */
final class LazyFields extends AbstractMap<String, Object> {
    /** Computes one field by name; only names from the row's list are asked for. */
    interface Source {
        Object field(String name);
    }

    private static final Object UNSET = new Object();

    private final String[] names;
    private final Source source;
    private final Object[] values;

    LazyFields(String[] names, Source source) {
        this.names = names;
        this.source = source;
        this.values = new Object[names.length];
        java.util.Arrays.fill(values, UNSET);
    }

    private int indexOf(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private Object value(int i) {
        Object v = values[i];
        if (v == UNSET) {
            v = source.field(names[i]);
            values[i] = v;
        }
        return v;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : value(i);
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return names.length;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], value(i));
                    }
                };
            }
        };
    }
}
