/**
 * Layer unpacking and diffing: OCI/Docker layer blobs to overlayfs lowerdirs, and overlay upper dirs
 * back to layer tars.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link dev.berth.images.layer.LayerUnpacker#unpack}: blob (gzip, zstd or plain tar) to a
 *       directory, returning the diffID.</li>
 *   <li>{@link dev.berth.images.layer.LayerDiffer#writeDiff}: upper dir to a deterministic OCI tar.</li>
 *   <li>{@link dev.berth.images.layer.LayerDirs#deleteRecursively}: removal that never follows
 *       symlinks; use it on a failed unpack's directory.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Containment (see {@code LayerRoot}): names are normalised lexically ("/etc/x" is "etc/x",
 *       a ".." that leaves the root fails); parent components are checked with lstat; a parent symlink
 *       is followed only when relative and staying inside; the last component is created with
 *       O_EXCL/O_NOFOLLOW semantics after removing what was there. Hard link targets resolve the same
 *       way and must already be in the layer.</li>
 *   <li>Whiteouts hide lower layers only (OCI): see {@code LayerWriter}.</li>
 *   <li>{@code trusted.overlay.*} xattrs in a layer are dropped; {@code security.*}/{@code system.*}
 *       xattrs the host refuses are skipped with a warning; any other xattr failure fails the unpack.</li>
 *   <li>The layer's root entry ("./") is ignored, as containerd does. AUFS metadata
 *       ({@code .wh..wh.*} other than the opaque marker) is skipped, as Docker does.</li>
 *   <li>Sparse entries, tar types other than file/dir/links/devices/fifo, and names that are not
 *       valid UTF-8 are refused with a message naming the entry. File names need the JVM to run with
 *       a UTF-8 {@code sun.jnu.encoding} (LANG=C.UTF-8) to hold non-ASCII names.</li>
 *   <li>Decompression and hashing run on a read-ahead thread, overlapping with file writes.</li>
 * </ul>
 *
 * <h2>Measured (2-core Xeon VM with SHA-NI, ext4; a 551 MB tar of /usr/bin and /usr/share/doc etc.,
 * 12,726 entries, gzip -6 to 221 MB)</h2>
 * <ul>
 *   <li>gunzip to memory: java.util.zip.GZIPInputStream 334 to 359 MB/s of output; ISA-L
 *       ({@code isal_inflate} via JNA) 760 to 770 MB/s, so about 2.2x; with SHA-256 on top, 520 to 550 MB/s.
 *       SHA-256 alone: 1.25 to 1.39 GB/s.</li>
 *   <li>Whole unpack of the .tar.gz: 1.6 s (338 MB/s uncompressed) on a quiet machine. With the
 *       machine shared with other builds (load 2 to 4.5) it was 4.9 to 6.9 s with read-ahead and 10 to
 *       11.4 s without. For scale, at that time GNU {@code tar -xf} of the plain tar took 4.5 s (4.1 s of
 *       it kernel time) and {@code gzip -dc | tar -x} 8.8 s: file creation in the kernel is the limit.</li>
 * </ul>
 * Reproduce with the {@code InflateBenchmark} and {@code UnpackBenchmark} mains in the test sources.
 */
package dev.berth.images.layer;
