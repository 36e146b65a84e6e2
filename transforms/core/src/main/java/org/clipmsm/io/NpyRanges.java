package org.clipmsm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Pre-allocated .npy files that parallel workers fill in place: a file is created once at its final size, all zeros
 * (sparse where the file system allows), and each worker writes its own range with positional writes that touch no
 * other bytes. Disjoint ranges may be written concurrently, also by different processes, in any order: the file is
 * the same, and once every range is written it equals what {@code np.save} writes for the whole array.
 *
 * <ul>
 *   <li>voxel columns of an images x voxels matrix (float32 or float64): {@link #createMatrix}, {@link #writeColumns};
 *   <li>whole rows of a C-order float64 or float32 matrix (voxels x labels): {@link #createMatrix}, {@link #writeRows};
 *   <li>ranges of a 1-D float64 or int32 vector (per-voxel values): {@link #createVector}, {@link #writeVector},
 *       {@link #writeInts};
 *   <li>rows of a float32 array of any rank (embeddings, {@code (n, d)} or {@code (n, h, w, d)}):
 *       {@link #createFloat32}, {@link #writeFloatRow}; {@link Float32Rows} reads them.
 * </ul>
 */
public final class NpyRanges {
  private static final NpyWriter WRITER = new NpyWriter(NpyReader.DEFAULT_WINDOW_BYTES);

  private NpyRanges() {}

  /**
   * Creates, or truncates, a C-order little-endian 2-D array of shape {@code (rows, cols)} whose data are all zero,
   * for {@link #writeColumns} or {@link #writeRows}.
   */
  public static void createMatrix(Path file, int rows, int cols, Npy.DType dtype) {
    WRITER.createMatrix(file, rows, cols, dtype.type());
  }

  /**
   * Writes columns {@code [firstCol, firstCol + numCols)} of a file made by {@link #createMatrix}.
   *
   * @param columnMajorBlock {@code rows * numCols} values, element (i, j) at {@code i + j * rows}
   * @throws org.clipmsm.InvalidInputException if the file is not a 2-D C-order little-endian float32/float64 array,
   *     the columns are out of range, or the block length is not {@code rows * numCols} for the file's rows
   */
  public static void writeColumns(Path file, int firstCol, double[] columnMajorBlock, int numCols) {
    WRITER.writeColumns(file, firstCol, columnMajorBlock, numCols);
  }

  /**
   * Writes whole rows {@code firstRow..} of a C-order float64 or float32 matrix (made by {@link #createMatrix}): one
   * contiguous run of bytes; for float32 each value is rounded to the nearest float, as NumPy's astype does.
   */
  public static void writeRows(Path file, long firstRow, double[] rowMajor) {
    NpyHeader h = Npy.readHeader(file);
    boolean f32 = h.descr().equals("<f4");
    if (h.ndim() != 2 || !(f32 || h.descr().equals("<f8")) || h.fortranOrder()
        || firstRow * h.cols() + rowMajor.length > (long) h.rows() * h.cols()) {
      throw new IllegalArgumentException(file + ": cannot write " + rowMajor.length + " values at row " + firstRow);
    }
    int item = f32 ? 4 : 8;
    ByteBuffer buf = ByteBuffer.allocate(rowMajor.length * item).order(ByteOrder.LITTLE_ENDIAN);
    if (f32) {
      for (double v : rowMajor) {
        buf.putFloat((float) v);
      }
      buf.flip();
    } else {
      buf.asDoubleBuffer().put(rowMajor);
    }
    write(file, h.dataOffset() + item * firstRow * h.cols(), buf);
  }

  /** Creates a 1-D float64 vector of zeros for {@link #writeVector}. */
  public static void createVector(Path file, int length) {
    Npy.writeVector(file, new double[length], Npy.DType.FLOAT64);
  }

  /** Writes {@code values} at {@code first..} of a 1-D float64 file. */
  public static void writeVector(Path file, long first, double[] values) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != 1 || !h.descr().equals("<f8") || first < 0 || first + values.length > h.rows()) {
      throw new IllegalArgumentException(file + ": cannot write " + values.length + " values at " + first
          + " into a " + h.descr() + " array of shape " + Arrays.toString(h.shape()));
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(values);
    write(file, h.dataOffset() + 8 * first, buf);
  }

  /** Writes {@code values} at {@code first..} of a 1-D int32 file ({@link Npy#writeIntVector} of zeros). */
  public static void writeInts(Path file, long first, int[] values) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != 1 || !h.descr().equals("<i4") || first + values.length > h.rows()) {
      throw new IllegalArgumentException(file + ": cannot write " + values.length + " ints at " + first);
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(values);
    write(file, h.dataOffset() + 4 * first, buf);
  }

  /** Creates, or truncates, a float32 C-order array of this shape (.npy format 1.0) with every value zero. */
  public static void createFloat32(Path file, long[] shape) {
    long values = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] h = float32Header(shape);
      ch.write(ByteBuffer.wrap(h), 0);
      if (values > 0) {
        ch.write(ByteBuffer.allocate(1), h.length + values * 4 - 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes row {@code row} (all values after the first axis) of a file made by {@link #createFloat32}. */
  public static void writeFloatRow(Path file, long[] shape, long row, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    write(file, float32Header(shape).length + row * values.length * 4L, b);
  }

  /** The .npy 1.0 header np.save writes for a little-endian float32 C-order array of this shape. */
  private static byte[] float32Header(long[] shape) {
    String dims = String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList())
        + (shape.length == 1 ? "," : "");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String text = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) text.length());
    b.put(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return b.array();
  }

  private static void write(Path file, long pos, ByteBuffer buf) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
