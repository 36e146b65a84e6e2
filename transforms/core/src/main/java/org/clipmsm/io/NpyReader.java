package org.clipmsm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clipmsm.InvalidInputException;

/**
 * Reads the data of .npy files with positional reads through a bounded buffer (the "window"), so files of any size
 * are read without loading them whole and without memory maps (which Java 17 cannot unmap deterministically).
 * Every call opens its own channel and buffer: an instance is immutable and may be shared by threads.
 */
final class NpyReader {
  /** Default window: large enough that a read costs far more than its system call. */
  static final int DEFAULT_WINDOW_BYTES = 8 << 20;
  /**
   * When reading a column block of a C-order matrix, gaps between row slices up to this size are read through
   * (one read for many rows) rather than skipped (one read per row): copying a few KiB costs about as much as one
   * system call.
   */
  static final int MERGE_GAP_BYTES = 8 << 10;
  /** Columns decoded per pass over a batch of rows; see Window.decodeRows. */
  private static final int TILE_COLUMNS = 256;
  /** Largest Java array length that JVMs reliably allocate. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final int windowBytes;

  /** @param windowBytes most bytes read at once; tests use tiny windows to exercise window boundaries */
  NpyReader(int windowBytes) {
    if (windowBytes < 1) {
      throw new IllegalArgumentException("windowBytes must be positive: " + windowBytes);
    }
    this.windowBytes = windowBytes;
  }

  NpyHeader readHeader(Path file) {
    return withFile(file, (ch, h) -> h);
  }

  double[] readMatrix(Path file) {
    return withFile(file, (ch, h) -> columns(ch, h, 0, h.cols()));
  }

  double[] readColumns(Path file, int firstCol, int numCols) {
    return withFile(file, (ch, h) -> columns(ch, h, firstCol, numCols));
  }

  double[] readVector(Path file) {
    return withFile(file, (ch, h) -> {
      int n = vectorLength(h);
      double[] out = new double[n];
      new Window(ch, h).read(0, n, out, 0, 1);
      return out;
    });
  }

  double[] readVectorRange(Path file, long first, int count) {
    return withFile(file, (ch, h) -> {
      int n = vectorLength(h);
      if (first < 0 || count < 0 || first + count > n) {
        throw h.invalid("elements [" + first + ", " + (first + count) + ") out of range for a vector of length " + n);
      }
      double[] out = new double[count];
      new Window(ch, h).read(first, count, out, 0, 1);
      return out;
    });
  }

  long[] readLongVector(Path file) {
    return withFile(file, (ch, h) -> {
      int n = vectorLength(h);
      if (!h.type().isInteger()) {
        throw h.invalid("expected an integer dtype, found " + h.dtypeName());
      }
      return longs(ch, h, n);
    });
  }

  boolean[] readBoolVector(Path file) {
    return withFile(file, (ch, h) -> {
      int n = vectorLength(h);
      if (h.type().isFloat()) {
        throw h.invalid("expected a bool dtype (or integers 0/1), found " + h.dtypeName());
      }
      long[] values = longs(ch, h, n);
      boolean[] out = new boolean[n];
      for (int i = 0; i < n; i++) {
        if (values[i] != 0 && values[i] != 1) {
          throw h.invalid("expected 0 or 1 in a " + h.dtypeName() + " mask, found " + values[i] + " at index " + i);
        }
        out[i] = values[i] == 1;
      }
      return out;
    });
  }

  private interface Work<T> {
    T apply(FileChannel ch, NpyHeader header) throws IOException;
  }

  /** Opens the file, reads its header and runs {@code work}; every failure names the file. */
  private static <T> T withFile(Path file, Work<T> work) {
    String name = Channels.name(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return work.apply(ch, NpyHeader.read(ch, name));
    } catch (IOException e) {
      throw new InvalidInputException(name + ": cannot read (" + Channels.describe(e) + ")", e);
    }
  }

  /** Length of a 1-D array or an (n, 1) column; either is contiguous in both memory orders. */
  private static int vectorLength(NpyHeader h) {
    long[] shape = h.shape();
    if (shape.length == 1 || (shape.length == 2 && shape[1] == 1)) {
      return h.rows();
    }
    throw h.invalid("expected a 1-D array or an (n, 1) array, found shape " + h.shapeString());
  }

  /** Columns [firstCol, firstCol + numCols) of the matrix view, column-major. */
  private double[] columns(FileChannel ch, NpyHeader h, int firstCol, int numCols) throws IOException {
    int rows = h.rows();
    int cols = h.cols();
    if (rows == 0 || cols == 0) {
      throw h.invalid("expected a non-empty matrix, found shape " + h.shapeString());
    }
    if (firstCol < 0 || numCols < 0 || (long) firstCol + numCols > cols) {
      throw h.invalid("columns [" + firstCol + ", " + ((long) firstCol + numCols) + ") out of range for "
          + rows + " x " + cols + " matrix of shape " + h.shapeString());
    }
    if ((long) rows * numCols > MAX_ARRAY) {
      throw h.invalid(rows + " x " + numCols + " columns do not fit in one Java array; read fewer columns");
    }
    double[] out = new double[rows * numCols];
    if (numCols == 0) {
      return out;
    }
    Window window = new Window(ch, h);
    if (h.fortranOrder() || rows == 1 || cols == 1) {
      // The block is one contiguous run: column j of a Fortran array starts at element j * rows.
      window.read((long) firstCol * rows, out.length, out, 0, 1);
    } else {
      window.readRowSlices(rows, cols, firstCol, numCols, out);
    }
    return out;
  }

  private long[] longs(FileChannel ch, NpyHeader h, int n) throws IOException {
    long[] out = new long[n];
    Window window = new Window(ch, h);
    int perWindow = window.itemsPerWindow();
    for (int done = 0; done < n; done += perWindow) {
      int count = Math.min(perWindow, n - done);
      ByteBuffer buf = window.load(done, count * h.itemSize());
      for (int k = 0; k < count; k++) {
        out[done + k] = h.type().longAt(buf, k * h.itemSize());
      }
    }
    return out;
  }

  /** One read buffer over one file's data; not shared between threads. */
  private final class Window {
    private final FileChannel ch;
    private final NpyHeader h;
    private final int item;
    private ByteBuffer buf;

    Window(FileChannel ch, NpyHeader h) {
      this.ch = ch;
      this.h = h;
      this.item = h.itemSize();
    }

    /** At least one item, so that tiny test windows still make progress. */
    int itemsPerWindow() {
      return Math.max(1, windowBytes / item);
    }

    /**
     * A cleared buffer of at least {@code length} bytes, no larger than the largest load of this call so far: a small
     * read of a large file (a voxel range's per-voxel values, a few labels' scores) allocates what it reads, not a
     * whole window.
     */
    private ByteBuffer buffer(int length) {
      if (buf == null || buf.capacity() < length) {
        buf = ByteBuffer.allocate(length).order(h.byteOrder());
      }
      return buf.clear();
    }

    /** Reads {@code length} bytes starting at data element {@code element} into the buffer, from index 0. */
    ByteBuffer load(long element, int length) throws IOException {
      ByteBuffer b = buffer(length);
      b.limit(length);
      Channels.readFully(ch, b, h.dataOffset() + element * item);
      return b;
    }

    /** Decodes {@code count} consecutive elements from {@code element} on into dst[dstPos + k * dstStride]. */
    void read(long element, long count, double[] dst, int dstPos, int dstStride) throws IOException {
      int perWindow = itemsPerWindow();
      while (count > 0) {
        int n = (int) Math.min(perWindow, count);
        h.type().toDoubles(load(element, n * item), 0, n, dst, dstPos, dstStride);
        element += n;
        count -= n;
        dstPos += n * dstStride;
      }
    }

    /**
     * Columns [firstCol, firstCol + numCols) of a C-order matrix: row i's slice is contiguous and lands at
     * dst[i + j * rows]. Rows go into the buffer in batches, as one read of the whole span when the gaps between
     * slices are small, else one read per slice packed end to end.
     */
    void readRowSlices(int rows, int cols, int firstCol, int numCols, double[] dst) throws IOException {
      long rowBytes = (long) cols * item;
      long sliceBytes = (long) numCols * item;
      if (sliceBytes > windowBytes) {
        for (int i = 0; i < rows; i++) {
          read((long) i * cols + firstCol, numCols, dst, i, rows);
        }
        return;
      }
      boolean span = rowBytes - sliceBytes <= MERGE_GAP_BYTES;
      long stride = span ? rowBytes : sliceBytes; // bytes between row starts in the buffer
      int batch = (int) Math.min(rows, 1 + (windowBytes - sliceBytes) / stride);
      for (int r0 = 0; r0 < rows; r0 += batch) {
        int batchRows = Math.min(batch, rows - r0);
        long first = (long) r0 * cols + firstCol;
        ByteBuffer b;
        if (span) {
          b = load(first, (int) ((batchRows - 1) * rowBytes + sliceBytes));
        } else {
          b = buffer((int) (batchRows * sliceBytes));
          for (int k = 0; k < batchRows; k++) {
            b.limit((int) ((k + 1) * sliceBytes)).position((int) (k * sliceBytes));
            Channels.readFully(ch, b, h.dataOffset() + (first + (long) k * cols) * item);
          }
        }
        decodeRows(b, (int) stride, batchRows, numCols, dst, r0, rows);
      }
    }

    /**
     * Decodes {@code batchRows} rows of {@code numCols} items, {@code stride} bytes apart in {@code b}, into rows
     * r0.. of the column-major {@code dst}. Goes through the columns in tiles so that the destination cache lines
     * and pages of one tile are reused by every row of the batch rather than evicted by the next row's columns.
     */
    private void decodeRows(ByteBuffer b, int stride, int batchRows, int numCols, double[] dst, int r0, int rows) {
      for (int c0 = 0; c0 < numCols; c0 += TILE_COLUMNS) {
        int tile = Math.min(TILE_COLUMNS, numCols - c0);
        for (int k = 0; k < batchRows; k++) {
          h.type().toDoubles(b, k * stride + c0 * item, tile, dst, r0 + k + c0 * rows, rows);
        }
      }
    }
  }
}
