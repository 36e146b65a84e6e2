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
    return startsWithMagic(raw) ? gunzip(raw) : raw;
  }

  /** Whether a stream (that supports mark) starts with the gzip magic (RFC 1952); the stream is left unread. */
  static boolean startsWithMagic(InputStream markable) throws IOException {
    markable.mark(2);
    int b0 = markable.read();
    int b1 = markable.read();
    markable.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  static InputStream gunzip(InputStream raw) throws IOException {
    return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
  }

  /** Whether a name asks for gzip on writing (.gz, .mgz). */
  static boolean wantsGzip(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".gz") || n.endsWith(".mgz");
  }
}
