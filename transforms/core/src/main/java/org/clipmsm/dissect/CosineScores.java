package org.clipmsm.dissect;

import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;

/**
 * CLIP-Dissect's cos and cos^3 similarity functions (docs/method.md §4): every column (a voxel's activations over
 * images,
 * a label's similarities over images) is transformed, then S[v, d] = dot product of the two columns.
 *
 * <ul>
 *   <li>cos: column / ||column|| (as CLIP-Dissect, no guard: a zero column gives NaN);
 *   <li>cos^3: centre the column on its mean over images, cube it, divide by max(||column||, 1e-3).
 * </ul>
 */
public final class CosineScores {
  static final double MIN_NORM = 1e-3;

  private CosineScores() {}

  /** The transformed columns of an images x columns matrix (a new matrix). */
  public static Matrix transformColumns(Matrix m, SimilarityFunction f) {
    Matrix out = m.copy();
    int n = m.rows();
    double[] d = out.data();
    for (int j = 0; j < m.cols(); j++) {
      int o = j * n;
      if (f == SimilarityFunction.COS3) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
          mean += d[o + i];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
          double c = d[o + i] - mean;
          d[o + i] = c * c * c;
        }
      }
      double ss = 0;
      for (int i = 0; i < n; i++) {
        ss += d[o + i] * d[o + i];
      }
      double norm = Math.sqrt(ss);
      if (f == SimilarityFunction.COS3) {
        norm = Math.max(norm, MIN_NORM);
      }
      for (int i = 0; i < n; i++) {
        d[o + i] /= norm;
      }
    }
    return out;
  }

  /**
   * @param labels images x labels, already transformed
   * @param q images x voxels activations (transformed here)
   * @return voxels x labels, row-major
   */
  public static double[] scores(Matrix labels, Matrix q, SimilarityFunction f) {
    Matrix qt = transformColumns(q, f);
    int n = q.rows();
    int l = labels.cols();
    int m = q.cols();
    double[] out = new double[m * l];
    if (n > 0 && l > 0 && m > 0) {
      // labels^T q is labels x voxels column-major, i.e. voxels x labels row-major.
      Linalg.blas().dgemm("T", "N", l, m, n, 1.0, labels.data(), n, qt.data(), n, 0.0, out, l);
    }
    return out;
  }
}
