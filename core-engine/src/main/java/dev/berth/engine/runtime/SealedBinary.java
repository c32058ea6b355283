package dev.berth.engine.runtime;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sealed in-memory copy of a runtime binary (runc), executed through {@code /proc/<daemon pid>/fd/<n>}.
 *
 * <p>Why: runc 1.1's {@code runc init} guards against CVE-2019-5736 (a container overwriting the host's runc
 * through {@code /proc/self/exe}) by re-executing itself from a protected copy on every container start:
 * a read-only bind mount of itself (mkstemp, two mounts, a detaching unmount, which waits for an RCU grace
 * period, an unlink) or a memfd copy, then a second exec. It skips all of that when {@code /proc/self/exe}
 * already is a memfd sealed with exactly F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE
 * (cloned_binary.c {@code is_self_cloned}), which is what runc's own contrib/cmd/memfd-bind provides:
 * such a file cannot be written by anyone, the container included, so the protection is kept.
 *
 * <p>The copy lives as long as the JVM (its fd is never closed; one copy per binary, shared by every
 * engine in the process). The path is valid only while this process lives, which is all conmon needs:
 * it execs the runtime once, at create.
 */
public final class SealedBinary {
    private static final int MFD_CLOEXEC = 0x1;
    private static final int MFD_ALLOW_SEALING = 0x2;
    /** Linux 6.3+: says the memfd is meant to be executed (else the kernel warns once per process). */
    private static final int MFD_EXEC = 0x10;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_GET_SEALS = 1034;
    /** The exact set runc's is_self_cloned() compares with. */
    static final int RUNC_SEALS = 0x1 | 0x2 | 0x4 | 0x8;
    private static final int EINVAL = 22;

    private static final Map<Path, Optional<SealedBinary>> COPIES = new ConcurrentHashMap<>();

    private final Path source;
    private final int fd;

    private SealedBinary(Path source, int fd) {
        this.source = source;
        this.fd = fd;
    }

    /**
     * The sealed copy of {@code binary}, made on first use; empty when this platform cannot make one
     * (no memfd, native access denied): callers then run the binary itself.
     */
    public static Optional<SealedBinary> of(Path binary) {
        return COPIES.computeIfAbsent(binary.toAbsolutePath().normalize(), SealedBinary::make);
    }

    private static Optional<SealedBinary> make(Path binary) {
        try {
            return Optional.of(new SealedBinary(binary, Native.sealedCopy(binary)));
        } catch (IOException | RuntimeException | LinkageError e) {
            System.err.println("berth: no sealed copy of " + binary + " (" + e.getMessage() + "); runc copies itself on every start");
            return Optional.empty();
        }
    }

    /** The path that executes the sealed copy, for this process and its children. */
    public Path path() {
        return Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
    }

    public Path source() {
        return source;
    }

    /** The copy's seals as the kernel reports them (F_GET_SEALS). */
    public int seals() throws IOException {
        return Native.seals(fd);
    }

    private static final class Native {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final MethodHandle MEMFD_CREATE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("memfd_create").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        private static final MethodHandle FCNTL = LINKER.downcallHandle(
                LINKER.defaultLookup().find("fcntl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
        private static final MethodHandle CLOSE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        static int sealedCopy(Path binary) throws IOException {
            int fd = memfd(binary.getFileName().toString());
            try {
                // A second, writable description of the same memfd: the copy goes through it, and it is
                // closed before sealing (F_SEAL_WRITE is refused while a shared writable mapping exists).
                try (FileChannel in = FileChannel.open(binary, StandardOpenOption.READ);
                     FileChannel out = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.WRITE)) {
                    long size = in.size();
                    long done = 0;
                    while (done < size) {
                        long n = out.transferFrom(in, done, size - done);
                        if (n <= 0) {
                            throw new IOException("short copy of " + binary + ": " + done + " of " + size + " bytes");
                        }
                        done += n;
                    }
                }
                fcntl(fd, F_ADD_SEALS, RUNC_SEALS, "F_ADD_SEALS");
                int seals = seals(fd);
                if (seals != RUNC_SEALS) {
                    throw new IOException("memfd seals are " + seals + ", not " + RUNC_SEALS);
                }
                return fd;
            } catch (IOException | RuntimeException e) {
                close(fd);
                throw e;
            }
        }

        static int seals(int fd) throws IOException {
            return fcntl(fd, F_GET_SEALS, 0, "F_GET_SEALS");
        }

        private static int memfd(String name) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                MemorySegment cname = arena.allocateFrom("berth-" + name);
                int fd = (int) MEMFD_CREATE.invokeExact(state, cname, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
                if (fd < 0 && (int) ERRNO.get(state, 0L) == EINVAL) {
                    // Kernels before 6.3 do not know MFD_EXEC; their memfds are executable anyway.
                    fd = (int) MEMFD_CREATE.invokeExact(state, cname, MFD_CLOEXEC | MFD_ALLOW_SEALING);
                }
                if (fd < 0) {
                    throw new IOException("memfd_create failed, errno " + (int) ERRNO.get(state, 0L));
                }
                return fd;
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private static int fcntl(int fd, int cmd, int arg, String what) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                int r = (int) FCNTL.invokeExact(state, fd, cmd, arg);
                if (r < 0) {
                    throw new IOException("fcntl " + what + " failed, errno " + (int) ERRNO.get(state, 0L));
                }
                return r;
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private static void close(int fd) {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                // Nothing to do: the fd leaks, the copy is not used.
            }
        }
    }
}
