package org.clipmsm.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.clipmsm.InvalidInputException;

/**
 * A NIfTI file read once from start to end, plain or gzipped. A {@code .nii.gz} file is the whole {@code .nii}
 * gzipped, so it is recognised by the gzip magic bytes {@code 1f 8b} (RFC 1952), not by its name. Reading
 * sequentially is what a gzip stream allows, and it is fast enough for plain files too.
 *
 * <p>Every failure is an {@link InvalidInputException} whose one-line message starts with the file name.
 */
final class NiftiInput implements Closeable {
  private static final int BUFFER_BYTES = 1 << 16;

  private final String source;
  private final boolean gzipped;
  private final InputStream in;
  /** Bytes of (decompressed) content consumed so far. */
  private long position;

  private NiftiInput(String source, boolean gzipped, InputStream in) {
    this.source = source;
    this.gzipped = gzipped;
    this.in = in;
  }

  /** Opens {@code file}, decompressing when it starts with the gzip magic. */
  static NiftiInput open(Path file) {
    String source = Channels.name(file);
    InputStream raw = null;
    boolean gz = false;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
      gz = MaybeGzip.startsWithMagic(raw);
      InputStream in = gz ? MaybeGzip.gunzip(raw) : raw;
      return new NiftiInput(source, gz, in);
    } catch (IOException e) {
      closeQuietly(raw);
      throw new InvalidInputException(source + ": " + describe(e, gz), e);
    }
  }

  String source() {
    return source;
  }

  /** Bytes of content read so far: the byte offset in the (decompressed) .nii file. */
  long position() {
    return position;
  }

  /**
   * Reads exactly {@code len} bytes, or as many as there are when {@code allowShort}.
   *
   * @param what what is being read, for the message when the file ends first, e.g. "header"
   * @return the number of bytes read (less than {@code len} only when {@code allowShort} and the file ended)
   */
  int read(byte[] b, int off, int len, String what, boolean allowShort) {
    int done = 0;
    try {
      while (done < len) {
        int n = in.read(b, off + done, len - done);
        if (n < 0) {
          break;
        }
        done += n;
      }
    } catch (IOException e) {
      throw new InvalidInputException(source + ": " + describe(e, gzipped) + " while reading the " + what, e);
    }
    position += done;
    if (done < len && !allowShort) {
      throw new InvalidInputException(source + ": truncated " + what + " (file ends at byte " + position
          + ", expected " + (position - done + len) + " bytes" + (gzipped ? " after decompression" : "") + ")");
    }
    return done;
  }

  void readFully(byte[] b, int off, int len, String what) {
    read(b, off, len, what, false);
  }

  private static String describe(IOException e, boolean gzipped) {
    if (gzipped && e instanceof EOFException) {
      return "truncated gzip stream";
    }
    if (gzipped && e instanceof ZipException) {
      return "corrupt gzip stream (" + Channels.describe(e) + ")";
    }
    return "cannot read (" + Channels.describe(e) + ")";
  }

  @Override
  public void close() {
    closeQuietly(in);
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // Nothing was written; a failed close of an input loses nothing.
      }
    }
  }
}
