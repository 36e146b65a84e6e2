package org.clipmsm.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;

/**
 * Reads and writes NumPy .npy arrays, the exchange format of this field (rows = images). Matrices come out
 * column-major (element (i, j) at {@code i + j * rows}), the layout BLAS takes. Readers accept float32/float64,
 * integer and bool dtypes in either byte order and C or Fortran order; writers write what {@code np.save} writes
 * (format 1.0, C order, little-endian). Every failure to read is an {@link InvalidInputException} naming the file.
 */
public final class Npy {
  /** Largest memory map a column read makes at once (large files are read in windows). */
  static int windowBytes = 1 << 30;
  /** Rows decoded together, so that the column-major output is written a cache line at a time. */
  private static final int TILE = 16;

  public enum DType {
    FLOAT32("<f4", 4), FLOAT64("<f8", 8);

    final String descr;
    final int size;

    DType(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }
  }

  private Npy() {}

  /** The header, checked against the file's length. */
  public static NpyHeader readHeader(Path file) {
    String name = name(file);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] prefix = in.readNBytes(12);
      int len = prefix.length;
      int headerLen = 0;
      if (len >= 10 && (prefix[6] & 0xff) == 1) {
        headerLen = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8;
      } else if (len >= 12) {
        headerLen = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8 | (prefix[10] & 0xff) << 16
            | (prefix[11] & 0xff) << 24;
      }
      if (headerLen < 0 || headerLen > (1 << 24)) {
        throw new InvalidInputException(name + ": not a NumPy .npy file (header length " + headerLen + ")");
      }
      byte[] all = Arrays.copyOf(prefix, 12 + headerLen);
      int rest = in.readNBytes(all, len, all.length - len);
      NpyHeader h = NpyHeader.parse(all, len + rest, name);
      long expected = Math.multiplyExact(h.elements(), (long) h.itemSize());
      long have = Files.size(file) - h.dataOffset();
      if (have < expected) {
        throw new InvalidInputException(name + ": truncated: header says " + expected + " bytes of data, file has "
            + Math.max(0, have));
      }
      return h;
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(name + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(name + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** A whole array as a column-major matrix: 2-D (n, m), 1-D as (n, 1), (n, 1, d) as (n, d). */
  public static double[] readMatrix(Path file) {
    NpyHeader h = matrixHeader(file);
    return readColumns(file, h, 0, h.cols());
  }

  /** Columns [firstCol, firstCol + numCols) of a matrix file, column-major; reads only those columns' bytes. */
  public static double[] readColumns(Path file, int firstCol, int numCols) {
    return readColumns(file, matrixHeader(file), firstCol, numCols);
  }

  /** A 1-D array (or (n, 1)) as doubles. */
  public static double[] readVector(Path file) {
    NpyHeader h = readHeader(file);
    if (!(h.ndim() == 1 || (h.ndim() == 2 && h.cols() == 1))) {
      throw new InvalidInputException(name(file) + ": expected a 1-D array, found shape " + shape(h));
    }
    return readColumns(file, h, 0, 1);
  }

  /** A 1-D integer array as longs (exact for int64). */
  public static long[] readLongVector(Path file) {
    NpyHeader h = readHeader(file);
    if (h.ndim() != 1) {
      throw new InvalidInputException(name(file) + ": expected a 1-D array of row indices, found shape " + shape(h));
    }
    if (h.type().isFloat() || h.type().kind() == NpyType.Kind.BOOL) {
      throw new InvalidInputException(name(file) + ": expected an integer array, found " + h.dtypeName());
    }
    ByteBuffer buf = map(file, h.dataOffset(), (long) h.rows() * h.itemSize()).order(h.order());
    long[] out = new long[h.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = h.type().getLong(buf, i);
    }
    return out;
  }

  /** A 1-D bool (or 0/1 integer) array. */
  public static boolean[] readBoolVector(Path file) {
    double[] v = readVector(file);
    boolean[] out = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0 && v[i] != 1) {
        throw new InvalidInputException(name(file) + ": expected bool values, found " + v[i] + " at " + i);
      }
      out[i] = v[i] == 1;
    }
    return out;
  }

  /** Writes a 2-D C-order array of shape (rows, cols) from a column-major array. */
  public static void writeMatrix(Path file, double[] columnMajor, int rows, int cols, DType dtype) {
    if ((long) rows * cols != columnMajor.length) {
      throw new IllegalArgumentException(rows + " x " + cols + " needs " + (long) rows * cols + " values");
    }
    createMatrix(file, rows, cols, dtype);
    writeColumns(file, 0, columnMajor, cols);
  }

  public static void writeVector(Path file, double[] v, DType dtype) {
    ByteBuffer b = ByteBuffer.allocate(v.length * dtype.size).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      if (dtype == DType.FLOAT32) {
        b.putFloat((float) x);
      } else {
        b.putDouble(x);
      }
    }
    write(file, dtype.descr, new long[] {v.length}, b.array());
  }

  public static void writeLongVector(Path file, long[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    write(file, "<i8", new long[] {v.length}, b.array());
  }

  public static void writeIntVector(Path file, int[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putInt(x);
    }
    write(file, "<i4", new long[] {v.length}, b.array());
  }

  public static void writeBoolVector(Path file, boolean[] v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) (v[i] ? 1 : 0);
    }
    write(file, "|b1", new long[] {v.length}, b);
  }

  /** Creates (truncating) a zero-filled C-order (rows, cols) array for {@link #writeColumns} to fill in place. */
  public static void createMatrix(Path file, int rows, int cols, DType dtype) {
    byte[] header = NpyHeader.format(dtype.descr, new long[] {rows, cols});
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(0);
      f.write(header);
      f.setLength(header.length + (long) rows * cols * dtype.size);
    } catch (IOException e) {
      throw new InvalidInputException(name(file) + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Writes columns [firstCol, firstCol + numCols) (a column-major block) into a C-order float file made by
   * {@link #createMatrix}, one positional write per batch of rows. Safe concurrently for disjoint column ranges.
   */
  public static void writeColumns(Path file, int firstCol, double[] block, int numCols) {
    NpyHeader h = readHeader(file);
    if (h.ndim() != 2 || h.fortranOrder() || !h.type().isFloat() || h.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException(name(file) + ": not a C-order little-endian float matrix");
    }
    int rows = h.rows();
    int cols = h.cols();
    if (firstCol < 0 || numCols < 0 || firstCol + numCols > cols || (long) rows * numCols != block.length) {
      throw new IllegalArgumentException(name(file) + ": columns " + firstCol + ".." + (firstCol + numCols)
          + " of " + rows + " rows do not fit shape (" + rows + ", " + cols + ")");
    }
    int item = h.itemSize();
    boolean f32 = item == 4;
    long rowBytes = (long) numCols * item;
    int rowsPerBatch = (int) Math.max(1, Math.min(rows, (1 << 22) / Math.max(1, rowBytes)));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocate((int) (rowsPerBatch * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
      for (int r0 = 0; r0 < rows; r0 += rowsPerBatch) {
        int r1 = Math.min(rows, r0 + rowsPerBatch);
        if (numCols == cols) {
          // Whole rows: one contiguous write for the batch.
          buf.clear();
          for (int i = r0; i < r1; i++) {
            putRow(buf, block, rows, i, numCols, f32);
          }
          buf.flip();
          long pos = h.dataOffset() + (long) r0 * cols * item;
          while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
          }
        } else {
          for (int i = r0; i < r1; i++) {
            buf.clear();
            putRow(buf, block, rows, i, numCols, f32);
            buf.flip();
            long pos = h.dataOffset() + ((long) i * cols + firstCol) * item;
            while (buf.hasRemaining()) {
              pos += ch.write(buf, pos);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(name(file) + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  private static void putRow(ByteBuffer buf, double[] block, int rows, int i, int numCols, boolean f32) {
    for (int j = 0; j < numCols; j++) {
      double v = block[i + j * rows];
      if (f32) {
        buf.putFloat((float) v);
      } else {
        buf.putDouble(v);
      }
    }
  }

  private static NpyHeader matrixHeader(Path file) {
    NpyHeader h = readHeader(file);
    boolean ok = h.ndim() == 1 || h.ndim() == 2 || (h.ndim() == 3 && h.shape()[1] == 1 && !h.fortranOrder());
    if (!ok) {
      throw new InvalidInputException(name(file) + ": expected a 2-D array (or (n, 1, d)), found shape " + shape(h));
    }
    return h;
  }

  private static double[] readColumns(Path file, NpyHeader h, int firstCol, int numCols) {
    int rows = h.rows();
    int cols = h.cols();
    if (firstCol < 0 || numCols < 0 || firstCol + numCols > cols) {
      throw new IllegalArgumentException(name(file) + ": columns " + firstCol + ".." + (firstCol + numCols)
          + " out of range (" + cols + " columns)");
    }
    double[] out = new double[Math.multiplyExact(rows, numCols)];
    int item = h.itemSize();
    NpyType type = h.type();
    if (h.fortranOrder() || cols == 1) {
      // Column j is contiguous: read the block of columns in windows.
      long start = h.dataOffset() + (long) firstCol * rows * item;
      long total = (long) numCols * rows;
      long perWindow = Math.max(1, windowBytes / item);
      for (long done = 0; done < total; done += perWindow) {
        int n = (int) Math.min(perWindow, total - done);
        ByteBuffer buf = map(file, start + done * item, (long) n * item).order(h.order());
        for (int k = 0; k < n; k++) {
          out[(int) (done + k)] = type.get(buf, k);
        }
      }
      return out;
    }
    long rowBytes = (long) cols * item;
    int rowsPerWindow = (int) Math.max(1, Math.min(rows, windowBytes / rowBytes));
    for (int r0 = 0; r0 < rows; r0 += rowsPerWindow) {
      int r1 = Math.min(rows, r0 + rowsPerWindow);
      long offset = h.dataOffset() + (long) r0 * rowBytes + (long) firstCol * item;
      long length = (long) (r1 - r0 - 1) * rowBytes + (long) numCols * item;
      ByteBuffer buf = map(file, offset, length).order(h.order());
      decodeRows(buf, type, cols, r0, r1, numCols, rows, out);
    }
    return out;
  }

  /**
   * Rows [r0, r1) of a C-order window (buffer index 0 = row r0, first wanted column) into the column-major
   * {@code out}: a tile of rows is bulk-read row by row, then written out a cache line per column.
   */
  private static void decodeRows(ByteBuffer buf, NpyType type, int cols, int r0, int r1, int numCols, int rows,
      double[] out) {
    double[][] tile = new double[TILE][numCols];
    java.nio.FloatBuffer fb = type.kind() == NpyType.Kind.FLOAT32 ? buf.asFloatBuffer() : null;
    java.nio.DoubleBuffer db = type.kind() == NpyType.Kind.FLOAT64 ? buf.asDoubleBuffer() : null;
    float[] floats = fb != null ? new float[numCols] : null;
    for (int t0 = r0; t0 < r1; t0 += TILE) {
      int t1 = Math.min(r1, t0 + TILE);
      for (int i = t0; i < t1; i++) {
        int base = (i - r0) * cols;
        double[] row = tile[i - t0];
        if (fb != null) {
          fb.get(base, floats, 0, numCols);
          for (int j = 0; j < numCols; j++) {
            row[j] = floats[j];
          }
        } else if (db != null) {
          db.get(base, row, 0, numCols);
        } else {
          for (int j = 0; j < numCols; j++) {
            row[j] = type.get(buf, base + j);
          }
        }
      }
      for (int j = 0; j < numCols; j++) {
        int o = j * rows;
        for (int i = t0; i < t1; i++) {
          out[o + i] = tile[i - t0][j];
        }
      }
    }
  }

  private static ByteBuffer map(Path file, long offset, long length) {
    if (length == 0) {
      return ByteBuffer.allocate(0);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, offset, length);
      return m;
    } catch (IOException e) {
      throw new InvalidInputException(name(file) + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static void write(Path file, String descr, long[] shape, byte[] data) {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(NpyHeader.format(descr, shape));
      out.write(data);
    } catch (IOException e) {
      throw new InvalidInputException(name(file) + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  private static String shape(NpyHeader h) {
    long[] s = h.shape();
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < s.length; i++) {
      b.append(i > 0 ? ", " : "").append(s[i]);
    }
    return b.append(s.length == 1 ? ",)" : ")").toString();
  }

  static String name(Path file) {
    Path n = file.getFileName();
    return n == null ? file.toString() : n.toString();
  }
}
