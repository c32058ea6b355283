package dev.berth.engine.containers;

import dev.berth.engine.runtime.ConmonRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * At daemon start, before the API answers: finishes what a killed daemon left of removals. A marked
 * removal whose row is still there is done again in full (network, row, volumes, files); one whose row
 * is gone (a --rm answered before its cleanup) has its runtime record, overlay mount and directory
 * removed. Then anything the catalog does not know: container directories and runc state without a
 * row (a crash in an older engine or mid-create), and conmon exit files of no container.
 */
final class RemovalSweep {
    private static final Logger LOG = Logger.getLogger(RemovalSweep.class.getName());

    interface Remove {
        void remove(String id, boolean removeVolumes) throws IOException, InterruptedException;
    }

    interface RemoveFiles {
        void removeFiles(String id, Path bundle) throws IOException;
    }

    private final RemovalJournal journal;
    private final ContainerStore store;
    private final Path containersDir;
    private final ConmonRuntime runtime;

    RemovalSweep(RemovalJournal journal, ContainerStore store, Path containersDir, ConmonRuntime runtime) {
        this.journal = journal;
        this.store = store;
        this.containersDir = containersDir;
        this.runtime = runtime;
    }

    /** @return the ids whose leftovers were cleaned up */
    List<String> run(Remove remove, RemoveFiles files) {
        Set<String> done = new java.util.TreeSet<>();
        for (Map.Entry<String, Boolean> e : journal.pending().entrySet()) {
            String id = e.getKey();
            try {
                if (store.get(id).isPresent()) {
                    remove.remove(id, e.getValue());
                } else {
                    files.removeFiles(id, containersDir.resolve(id));
                }
                journal.done(id);
                done.add(id);
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.WARNING, "finishing the removal of container " + id + " failed; retried at the next start", ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return List.copyOf(done);
            }
        }
        Set<String> known = store.all().stream().map(ContainerRecord::id).collect(Collectors.toSet());
        for (String id : unknown(containersDir, known)) {
            try {
                files.removeFiles(id, containersDir.resolve(id));
                done.add(id);
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.WARNING, "removing the leftovers of container " + id + " failed", ex);
            }
        }
        if (runtime != null) {
            for (String id : unknown(runtime.runtimeRoot(), known)) {
                try {
                    runtime.delete(id, true);
                    done.add(id);
                } catch (IOException | RuntimeException ex) {
                    LOG.log(Level.WARNING, "deleting the runtime state of container " + id + " failed", ex);
                }
            }
            for (String id : unknown(runtime.exitDir(), known)) {
                try {
                    runtime.clearExit(id);
                } catch (IOException ex) {
                    LOG.log(Level.WARNING, "removing the exit file of container " + id + " failed", ex);
                }
            }
        }
        if (!done.isEmpty()) {
            LOG.info("cleaned up what an interrupted removal left of " + done.size() + " container(s): " + done);
        }
        return List.copyOf(done);
    }

    /** Entries of {@code dir} named like a container id that the catalog has no row for. */
    private static List<String> unknown(Path dir, Set<String> known) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.length() == 64 && n.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
                    .filter(n -> !known.contains(n))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + dir, e);
            return List.of();
        }
    }
}
