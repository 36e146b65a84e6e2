package org.clipmsm.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Positional I/O on a {@link FileChannel} and the wording of I/O failures in one-line messages. */
final class Channels {
  private Channels() {}

  /** How a file is named in messages: the path as given. */
  static String name(Path file) {
    return file.toString();
  }

  /** A short, one-line reason for an I/O failure. */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ");
    return e.getClass().getSimpleName() + message;
  }

  /**
   * Fills {@code buf} from its position to its limit with the bytes at {@code position} of the file. Positional
   * reads do not move the channel's position, so several threads may read one channel at once.
   *
   * @throws EOFException if the file ends first
   */
  static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new EOFException("file ends at byte " + at);
      }
      at += n;
    }
  }

  /** Writes {@code buf} from its position to its limit at {@code position} of the file. */
  static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }
}
