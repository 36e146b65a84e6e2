package org.clipmsm.io;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;

/**
 * Rows (first-axis slices) of a float32 C-order {@code .npy} of any rank, read by position without loading the file:
 * the dense features {@code (n, h, w, D)} that {@code embed --dense} writes, which are read image batch by image batch
 * (1 GB for 10,000 images of 7 x 7 x 512 floats). Serializable: it is the file's name and shape.
 */
public final class Float32Rows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long[] shape;
  private final long dataOffset;
  private final int rowValues;

  private Float32Rows(String file, long[] shape, long dataOffset) {
    this.file = file;
    this.shape = shape;
    this.dataOffset = dataOffset;
    long per = Arrays.stream(shape).skip(1).reduce(1, (a, b) -> a * b);
    if (per > Integer.MAX_VALUE) {
      throw new InvalidInputException(Path.of(file).getFileName() + ": one row of shape " + Arrays.toString(shape)
          + " holds more than 2^31 - 1 values");
    }
    this.rowValues = (int) per;
  }

  /**
   * Opens a float32 C-order file of rank {@code rank}.
   *
   * @throws InvalidInputException naming the file when it is not one
   */
  public static Float32Rows open(Path file, int rank, String what) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != rank || h.fortranOrder() || !h.descr().equals("<f4")) {
      throw new InvalidInputException(file.getFileName() + ": expected a float32 C-order array of " + rank
          + " dimensions (" + what + "), found " + h.descr() + (h.fortranOrder() ? " Fortran-order" : "")
          + " shape " + Arrays.toString(h.shape()));
    }
    return new Float32Rows(file.toString(), h.shape(), h.dataOffset());
  }

  public long[] shape() {
    return shape.clone();
  }

  public long rows() {
    return shape[0];
  }

  /** Values in one row: the product of the shape after its first axis. */
  public int rowValues() {
    return rowValues;
  }

  /** Row {@code i}, as a new array of {@link #rowValues()} floats. */
  public float[] row(long i) {
    float[] out = new float[rowValues];
    read(i, 1, out, 0);
    return out;
  }

  /** Reads rows {@code first .. first + n - 1} into {@code into[offset ..]}. */
  public void read(long first, int n, float[] into, int offset) {
    if (first < 0 || n < 0 || first + n > shape[0]) {
      throw new IndexOutOfBoundsException("rows " + first + " + " + n + " of " + shape[0]);
    }
    ByteBuffer b = ByteBuffer.allocate(Math.min(n * rowValues, 1 << 20) * 4).order(ByteOrder.LITTLE_ENDIAN);
    long at = dataOffset + first * rowValues * 4L;
    int done = 0;
    int total = n * rowValues;
    try (FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.READ)) {
      while (done < total) {
        b.clear();
        b.limit(Math.min(b.capacity(), (total - done) * 4));
        while (b.hasRemaining()) {
          int r = ch.read(b, at);
          if (r < 0) {
            throw new InvalidInputException(Path.of(file).getFileName() + ": ends before row " + (first + n)
                + " of the " + shape[0] + " its header declares");
          }
          at += r;
        }
        b.flip();
        int k = b.remaining() / 4;
        b.asFloatBuffer().get(into, offset + done, k);
        done += k;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
