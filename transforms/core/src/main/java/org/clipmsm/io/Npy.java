package org.clipmsm.io;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.clipmsm.InvalidInputException;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0 on read; 1.0, as {@code np.save}
 * writes it, on write).
 *
 * <p>Readable element types: float32, float64, int8/16/32/64, uint8/16 and bool, in either byte order. Matrices are
 * returned column-major: element (i, j) of an {@code rows x cols} matrix is at {@code i + j * rows}. The matrix view
 * of a file takes a 1-D array {@code (n,)} as {@code n x 1} and an {@code (n, 1, d)} array as {@code n x d} (see
 * {@link NpyHeader#rows()}).
 *
 * <p>Every read failure, including a missing or unreadable file, is an {@link InvalidInputException} with a one-line
 * message that starts with the file's path. Write failures are {@link UncheckedIOException}s naming the file.
 * All methods are safe to call concurrently, also on the same file.
 */
public final class Npy {
  private static final NpyReader READER = new NpyReader(NpyReader.DEFAULT_WINDOW_BYTES);
  private static final NpyWriter WRITER = new NpyWriter(NpyReader.DEFAULT_WINDOW_BYTES);

  private Npy() {}

  /** Element types this class writes. */
  public enum DType {
    FLOAT32(ElementType.FLOAT32),
    FLOAT64(ElementType.FLOAT64);

    private final ElementType type;

    DType(ElementType type) {
      this.type = type;
    }

    ElementType type() {
      return type;
    }
  }

  /**
   * Reads and checks the header of {@code file}, including that the file holds all the data the shape needs.
   *
   * @throws InvalidInputException if the file cannot be read or is not a .npy file of a supported dtype
   */
  public static NpyHeader readHeader(Path file) {
    return READER.readHeader(file);
  }

  /**
   * Reads the whole matrix view of {@code file}: a 2-D array, a 1-D array as {@code n x 1} or an {@code (n, 1, d)}
   * array as {@code n x d}, in C or Fortran order.
   *
   * @return column-major values, element (i, j) at {@code i + j * rows}, of length {@code rows * cols}
   * @throws InvalidInputException if the file cannot be read, has another shape, or is empty
   */
  public static double[] readMatrix(Path file) {
    return READER.readMatrix(file);
  }

  /**
   * Reads columns {@code [firstCol, firstCol + numCols)} of the matrix view of {@code file} without reading the
   * rest: for C order each row's slice, for Fortran order the one contiguous run. Works on files of any size.
   *
   * @return column-major values of length {@code rows * numCols}, element (i, j) at {@code i + j * rows}
   * @throws InvalidInputException if the file cannot be read, has another shape or is empty, or the columns are
   *     out of range
   */
  public static double[] readColumns(Path file, int firstCol, int numCols) {
    return READER.readColumns(file, firstCol, numCols);
  }

  /**
   * Reads a 1-D array, or an {@code (n, 1)} column, of any supported dtype (bool as 0 and 1).
   *
   * @throws InvalidInputException if the file cannot be read or has another shape
   */
  public static double[] readVector(Path file) {
    return READER.readVector(file);
  }

  /**
   * Reads elements {@code [first, first + count)} of a 1-D array, or an {@code (n, 1)} column, without reading the
   * rest (a voxel block's values of a per-voxel vector).
   *
   * @throws InvalidInputException if the file cannot be read, has another shape, or the range is out of bounds
   */
  public static double[] readVectorRange(Path file, long first, int count) {
    return READER.readVectorRange(file, first, count);
  }

  /**
   * Reads a 1-D array, or an {@code (n, 1)} column, of an integer dtype.
   *
   * @throws InvalidInputException if the file cannot be read, has another shape, or is float or bool
   */
  public static long[] readLongVector(Path file) {
    return READER.readLongVector(file);
  }

  /**
   * Reads a 1-D array, or an {@code (n, 1)} column, of bool, or of an integer dtype holding only 0 and 1.
   *
   * @throws InvalidInputException if the file cannot be read, has another shape, is float, or holds other integers
   */
  public static boolean[] readBoolVector(Path file) {
    return READER.readBoolVector(file);
  }

  /**
   * Writes a C-order little-endian 2-D array of shape {@code (rows, cols)}, byte-identical to {@code np.save}.
   *
   * @param columnMajor {@code rows * cols} values, element (i, j) at {@code i + j * rows}; FLOAT32 rounds each with a
   *     {@code (float)} cast
   * @throws IllegalArgumentException if the array length is not {@code rows * cols}
   * @throws UncheckedIOException if writing fails
   */
  public static void writeMatrix(Path file, double[] columnMajor, int rows, int cols, DType dtype) {
    WRITER.writeMatrix(file, columnMajor, rows, cols, dtype.type());
  }

  /**
   * Writes a 1-D array of shape {@code (n,)} as {@code '<f4'} or {@code '<f8'}, byte-identical to {@code np.save}.
   *
   * @throws UncheckedIOException if writing fails
   */
  public static void writeVector(Path file, double[] v, DType dtype) {
    WRITER.writeVector(file, v, dtype.type());
  }

  /**
   * Writes a 1-D {@code '<i8'} array, byte-identical to {@code np.save}.
   *
   * @throws UncheckedIOException if writing fails
   */
  public static void writeLongVector(Path file, long[] v) {
    WRITER.writeLongVector(file, v);
  }

  /**
   * Writes a 1-D {@code '<i4'} array, byte-identical to {@code np.save}.
   *
   * @throws UncheckedIOException if writing fails
   */
  public static void writeIntVector(Path file, int[] v) {
    WRITER.writeIntVector(file, v);
  }

  /**
   * Writes a 1-D {@code '|b1'} array, byte-identical to {@code np.save}.
   *
   * @throws UncheckedIOException if writing fails
   */
  public static void writeBoolVector(Path file, boolean[] v) {
    WRITER.writeBoolVector(file, v);
  }
}
