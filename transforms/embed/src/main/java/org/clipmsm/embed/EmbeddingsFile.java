package org.clipmsm.embed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code embeddings.npy}: a float32, C-order, little-endian array of shape {@code (n, d)} or {@code (n, h, w, d)}
 * (.npy format 1.0), created full of zeros and filled one row per image with positional writes, so workers may write
 * disjoint rows concurrently.
 */
public final class EmbeddingsFile {
  private EmbeddingsFile() {}

  private static long headerLength(long[] shape) {
    return header(shape).length;
  }

  private static byte[] header(long[] shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "))
        + (shape.length == 1 ? "," : "");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String text = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) text.length());
    b.put(text.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /** Creates (or truncates) the file with every value zero. */
  public static void create(Path file, long[] shape) {
    long values = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] h = header(shape);
      ch.write(ByteBuffer.wrap(h), 0);
      if (values > 0) {
        ch.write(ByteBuffer.allocate(1), h.length + values * 4 - 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes row {@code row} (all values after the first axis) of a file made by {@link #create}. */
  public static void writeRow(Path file, long[] shape, long row, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long at = headerLength(shape) + row * values.length * 4L;
      while (b.hasRemaining()) {
        at += ch.write(b, at);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads row {@code row} of a file made by {@link #create}. */
  public static float[] readRow(Path file, long[] shape, long row) {
    int per = (int) (Arrays.stream(shape).reduce(1, (a, b) -> a * b) / shape[0]);
    ByteBuffer b = ByteBuffer.allocate(per * 4).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long at = headerLength(shape) + row * per * 4L;
      while (b.hasRemaining()) {
        int r = ch.read(b, at);
        if (r < 0) {
          throw new IOException("unexpected end of file");
        }
        at += r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    b.flip();
    float[] out = new float[per];
    b.asFloatBuffer().get(out);
    return out;
  }
}
