package org.clipmsm.linalg;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A dense double matrix stored column-major (element (i, j) at {@code i + j * rows}), the layout BLAS and LAPACK
 * take without copying. Rows are images (samples), columns are features or voxels.
 */
public final class Matrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int cols;
  private final double[] data;

  public Matrix(int rows, int cols, double[] data) {
    if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          "matrix " + rows + " x " + cols + " needs " + ((long) rows * cols) + " values, got " + data.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  public static Matrix zeros(int rows, int cols) {
    return new Matrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
  }

  /** From row-major nested arrays (handy in tests). */
  public static Matrix fromRows(double[][] values) {
    int r = values.length;
    int c = r == 0 ? 0 : values[0].length;
    Matrix m = zeros(r, c);
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        m.data[i + j * r] = values[i][j];
      }
    }
    return m;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing column-major array (not a copy). */
  public double[] data() {
    return data;
  }

  public double get(int i, int j) {
    return data[i + j * rows];
  }

  public void set(int i, int j, double v) {
    data[i + j * rows] = v;
  }

  /** A copy of column j. */
  public double[] column(int j) {
    return Arrays.copyOfRange(data, j * rows, (j + 1) * rows);
  }

  /** The rows named by {@code index}, in that order. */
  public Matrix selectRows(int[] index) {
    Matrix out = zeros(index.length, cols);
    for (int j = 0; j < cols; j++) {
      int src = j * rows;
      int dst = j * index.length;
      for (int i = 0; i < index.length; i++) {
        out.data[dst + i] = data[src + index[i]];
      }
    }
    return out;
  }

  /** Columns [first, first + count). */
  public Matrix selectColumns(int first, int count) {
    return new Matrix(rows, count, Arrays.copyOfRange(data, first * rows, (first + count) * rows));
  }

  /** Mean of each column. */
  public double[] columnMeans() {
    double[] means = new double[cols];
    for (int j = 0; j < cols; j++) {
      double s = 0;
      int off = j * rows;
      for (int i = 0; i < rows; i++) {
        s += data[off + i];
      }
      means[j] = s / rows;
    }
    return means;
  }

  /** Subtracts {@code means[j]} from column j, in place; returns this. */
  public Matrix subtractFromColumns(double[] means) {
    for (int j = 0; j < cols; j++) {
      double m = means[j];
      int off = j * rows;
      for (int i = 0; i < rows; i++) {
        data[off + i] -= m;
      }
    }
    return this;
  }

  /** Adds {@code values[j]} to column j, in place; returns this. */
  public Matrix addToColumns(double[] values) {
    for (int j = 0; j < cols; j++) {
      double m = values[j];
      int off = j * rows;
      for (int i = 0; i < rows; i++) {
        data[off + i] += m;
      }
    }
    return this;
  }

  /** this^T * other (BLAS dgemm). */
  public Matrix transposeTimes(Matrix other) {
    if (rows != other.rows) {
      throw new IllegalArgumentException("inner dimensions differ: " + rows + " vs " + other.rows);
    }
    Matrix out = zeros(cols, other.cols);
    if (rows > 0 && cols > 0 && other.cols > 0) {
      Linalg.blas().dgemm("T", "N", cols, other.cols, rows, 1.0, data, rows, other.data, rows, 0.0, out.data, cols);
    }
    return out;
  }

  /** this * other (BLAS dgemm). */
  public Matrix times(Matrix other) {
    if (cols != other.rows) {
      throw new IllegalArgumentException("inner dimensions differ: " + cols + " vs " + other.rows);
    }
    Matrix out = zeros(rows, other.cols);
    if (rows > 0 && other.cols > 0 && cols > 0) {
      Linalg.blas().dgemm("N", "N", rows, other.cols, cols, 1.0, data, rows, other.data, other.rows, 0.0, out.data,
          rows);
    }
    return out;
  }

  public Matrix copy() {
    return new Matrix(rows, cols, data.clone());
  }

  /** Index of the first row and column holding a NaN or infinity, or null when all values are finite. */
  public int[] firstNonFinite() {
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        if (!Double.isFinite(data[i + j * rows])) {
          return new int[] {i, j};
        }
      }
    }
    return null;
  }

  /**
   * Throws a one-line error naming the source if any value is NaN or infinite: "NAME: non-finite value V at row R,
   * column C (expected finite WHAT)", columns counted from {@code firstColumn} (a block's place in the whole).
   */
  public void requireFinite(String name, String what, long firstColumn) {
    int[] bad = firstNonFinite();
    if (bad != null) {
      throw new org.clipmsm.InvalidInputException(name + ": non-finite value " + get(bad[0], bad[1]) + " at row "
          + bad[0] + ", column " + (firstColumn + bad[1]) + " (expected finite " + what + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Matrix(" + rows + " x " + cols + ")";
  }
}
