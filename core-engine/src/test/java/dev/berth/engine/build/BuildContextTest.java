package dev.berth.engine.build;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A build context arrives plain or in any compression moby's DecompressStream reads. */
class BuildContextTest {
    @TempDir
    Path tmp;

    interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static byte[] context(Compressor c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream z = c.wrap(bytes); TarArchiveOutputStream tar = new TarArchiveOutputStream(z)) {
            byte[] body = "FROM scratch\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
            e.setSize(body.length);
            tar.putArchiveEntry(e);
            tar.write(body);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void plainGzipBzip2XzAndZstdContextsUnpackAlike() throws IOException {
        Compressor[] all = {out -> out, GZIPOutputStream::new, BZip2CompressorOutputStream::new,
                XZCompressorOutputStream::new, ZstdOutputStream::new};
        for (Compressor c : all) {
            try (BuildContext ctx = BuildContext.fromTar(new ByteArrayInputStream(context(c)), tmp)) {
                assertEquals("FROM scratch\n", ctx.dockerfile("Dockerfile"));
            }
        }
    }
}
