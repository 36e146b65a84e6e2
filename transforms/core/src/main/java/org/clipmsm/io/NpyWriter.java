package org.clipmsm.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clipmsm.InvalidInputException;

/**
 * Writes C-order little-endian .npy files byte-identical to NumPy's {@code np.save}, through a bounded buffer (the
 * "window"). Column blocks go in with positional writes, so disjoint blocks may be written concurrently, from
 * several threads or processes. An instance is immutable and may be shared by threads.
 *
 * <p>I/O failures are {@link UncheckedIOException}s naming the file; a file for {@link #writeColumns} that does not
 * match is an {@link InvalidInputException}.
 */
final class NpyWriter {
  private final int windowBytes;

  /** @param windowBytes most bytes encoded and written at once; tests use tiny windows to exercise boundaries */
  NpyWriter(int windowBytes) {
    if (windowBytes < 1) {
      throw new IllegalArgumentException("windowBytes must be positive: " + windowBytes);
    }
    this.windowBytes = windowBytes;
  }

  void writeMatrix(Path file, double[] columnMajor, int rows, int cols, ElementType type) {
    checkBlock(file, columnMajor, rows, cols);
    NpyHeader h = NpyHeader.forWriting(type, new long[] {rows, cols}, Channels.name(file));
    withNewFile(file, h, ch -> writeBlock(ch, h, 0, columnMajor, cols));
  }

  void writeVector(Path file, double[] v, ElementType type) {
    writeContiguous(file, type, v.length, (buf, from, n) -> type.fromDoubles(v, from, 1, n, buf, 0));
  }

  void writeLongVector(Path file, long[] v) {
    writeContiguous(file, ElementType.INT64, v.length, (buf, from, n) -> {
      for (int k = 0; k < n; k++) {
        buf.putLong(8 * k, v[from + k]);
      }
    });
  }

  void writeIntVector(Path file, int[] v) {
    writeContiguous(file, ElementType.INT32, v.length, (buf, from, n) -> {
      for (int k = 0; k < n; k++) {
        buf.putInt(4 * k, v[from + k]);
      }
    });
  }

  void writeBoolVector(Path file, boolean[] v) {
    writeContiguous(file, ElementType.BOOL, v.length, (buf, from, n) -> {
      for (int k = 0; k < n; k++) {
        buf.put(k, (byte) (v[from + k] ? 1 : 0));
      }
    });
  }

  /** Header, then a sparse all-zero data area of the full size. */
  void createMatrix(Path file, int rows, int cols, ElementType type) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(Channels.name(file) + ": negative shape " + rows + " x " + cols);
    }
    NpyHeader h = NpyHeader.forWriting(type, new long[] {rows, cols}, Channels.name(file));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(0); // truncate, so that no data of an earlier file survive as non-zero
      raf.write(h.encode());
      raf.setLength(h.dataOffset() + h.dataBytes());
    } catch (IOException e) {
      throw cannotWrite(file, e);
    }
  }

  void writeColumns(Path file, int firstCol, double[] block, int numCols) {
    String name = Channels.name(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      NpyHeader h = NpyHeader.read(ch, name);
      boolean ours = h.ndim() == 2 && !h.fortranOrder() && h.byteOrder() == ByteOrder.LITTLE_ENDIAN
          && h.type().isFloat();
      if (!ours) {
        throw h.invalid("expected a 2-D C-order '<f4' or '<f8' matrix as createMatrix makes, found " + h);
      }
      int rows = h.rows();
      int cols = h.cols();
      if (firstCol < 0 || numCols < 0 || (long) firstCol + numCols > cols) {
        throw h.invalid("columns [" + firstCol + ", " + ((long) firstCol + numCols) + ") out of range for shape "
            + h.shapeString());
      }
      if (block.length != (long) rows * numCols) {
        throw h.invalid("block of " + block.length + " values does not match " + rows + " rows x " + numCols
            + " columns of shape " + h.shapeString());
      }
      writeBlock(ch, h, firstCol, block, numCols);
    } catch (IOException e) {
      throw cannotWrite(file, e);
    }
  }

  private interface Encoder {
    /** Puts items [from, from + n) at the start of {@code buf}. */
    void put(ByteBuffer buf, int from, int n);
  }

  private interface Body {
    void write(FileChannel ch) throws IOException;
  }

  private void writeContiguous(Path file, ElementType type, int n, Encoder encoder) {
    NpyHeader h = NpyHeader.forWriting(type, new long[] {n}, Channels.name(file));
    withNewFile(file, h, ch -> {
      int perWindow = Math.max(1, windowBytes / type.size());
      ByteBuffer buf = newBuffer(Math.min(perWindow, n) * type.size());
      for (int from = 0; from < n; from += perWindow) {
        int count = Math.min(perWindow, n - from);
        buf.clear().limit(count * type.size());
        encoder.put(buf, from, count);
        Channels.writeFully(ch, buf, h.dataOffset() + (long) from * type.size());
      }
    });
  }

  /** Creates or truncates {@code file}, writes the header and then {@code body}. */
  private static void withNewFile(Path file, NpyHeader h, Body body) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      Channels.writeFully(ch, ByteBuffer.wrap(h.encode()), 0);
      body.write(ch);
    } catch (IOException e) {
      throw cannotWrite(file, e);
    }
  }

  /**
   * Writes the column-major {@code rows x numCols} block as columns [firstCol, firstCol + numCols) of the C-order
   * matrix {@code h}. Row i's slice is contiguous in the file; whole rows (numCols == cols) are batched into one
   * write per window, partial rows get one write each, since the bytes between them belong to other writers.
   */
  private void writeBlock(FileChannel ch, NpyHeader h, int firstCol, double[] block, int numCols)
      throws IOException {
    int rows = h.rows();
    int cols = h.cols();
    int item = h.itemSize();
    if (rows == 0 || numCols == 0) {
      return;
    }
    ElementType type = h.type();
    int rowsPerBatch = numCols == cols ? (int) Math.max(1, Math.min(rows, windowBytes / ((long) cols * item))) : 1;
    int colsPerWrite = (int) Math.min(numCols, Math.max(1, windowBytes / item));
    ByteBuffer buf = newBuffer((int) Math.min((long) rowsPerBatch * colsPerWrite * item, (long) rows * numCols * item));
    for (int r0 = 0; r0 < rows; r0 += rowsPerBatch) {
      int batchRows = Math.min(rowsPerBatch, rows - r0);
      // A row wider than the window is split into pieces of colsPerWrite columns.
      for (int c0 = 0; c0 < numCols; c0 += colsPerWrite) {
        int pieceCols = Math.min(colsPerWrite, numCols - c0);
        buf.clear().limit(batchRows * pieceCols * item);
        for (int k = 0; k < batchRows; k++) {
          type.fromDoubles(block, r0 + k + c0 * rows, rows, pieceCols, buf, k * pieceCols * item);
        }
        long element = (long) r0 * cols + firstCol + c0;
        Channels.writeFully(ch, buf, h.dataOffset() + element * item);
      }
    }
  }

  private static ByteBuffer newBuffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void checkBlock(Path file, double[] columnMajor, int rows, int cols) {
    if (rows < 0 || cols < 0 || columnMajor.length != (long) rows * cols) {
      throw new IllegalArgumentException(Channels.name(file) + ": " + columnMajor.length
          + " values do not make a " + rows + " x " + cols + " matrix");
    }
  }

  private static UncheckedIOException cannotWrite(Path file, IOException e) {
    return new UncheckedIOException(Channels.name(file) + ": cannot write (" + Channels.describe(e) + ")", e);
  }
}
