package org.clipmsm.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens a file that may be gzip-compressed (.nii.gz, .mgz), recognised by the gzip magic 1f 8b, not by its name. */
final class MaybeGzip {
  private static final int BUFFER = 1 << 16;

  private MaybeGzip() {}

  static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
    }
    return raw;
  }

  /** Whether a name asks for gzip on writing (.gz, .mgz). */
  static boolean wantsGzip(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".gz") || n.endsWith(".mgz");
  }
}
