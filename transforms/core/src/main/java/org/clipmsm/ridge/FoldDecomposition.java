package org.clipmsm.ridge;

import java.io.Serializable;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.linalg.Qr;
import org.clipmsm.linalg.Svd;

/**
 * What one validation fold shares with every voxel. With the fitting rows' features centred on their means,
 * Xf = U diag(s) V^T (thin SVD, numerical rank r), the ridge weights at alpha are
 * W(alpha) = V diag(s / (s^2 + alpha)) U^T Yf. The validation prediction is A diag(g) B with A = (Xv - mean) V,
 * B = U^T Yf, g = s / (s^2 + alpha). With A = Q R (thin QR), the validation error splits into a part that does not
 * depend on alpha and ||Q^T Yv - R diag(g) B||^2, so each alpha costs one r x r triangular product per voxel block,
 * never a solve per voxel.
 */
public final class FoldDecomposition implements Serializable {
  private static final long serialVersionUID = 1L;

  final Fold fold;
  final double[] fitFeatureMean;
  /** Fitting rows' left singular vectors, nFit x r. */
  final Matrix u;
  /** Singular values, r. */
  final double[] s;
  /** Right singular vectors, p x r. */
  final Matrix v;
  /** Q of the QR of the validation rows in the singular basis, nVal x k. */
  final Matrix q;
  /** R of that QR, k x r (upper triangular when k == r). */
  final Matrix r;

  private FoldDecomposition(Fold fold, double[] fitFeatureMean, Matrix u, double[] s, Matrix v, Matrix q, Matrix r) {
    this.fold = fold;
    this.fitFeatureMean = fitFeatureMean;
    this.u = u;
    this.s = s;
    this.v = v;
    this.q = q;
    this.r = r;
  }

  static FoldDecomposition of(Matrix features, Fold given) {
    // Row order within a fold does not change the fit; ascending rows make every voxel block's row gathers
    // sequential in memory.
    int[] fitRows = given.fitRows().clone();
    int[] valRows = given.valRows().clone();
    java.util.Arrays.sort(fitRows);
    java.util.Arrays.sort(valRows);
    Fold fold = new Fold(fitRows, valRows);
    Matrix xFit = features.selectRows(fold.fitRows());
    double[] mean = xFit.columnMeans();
    xFit.subtractFromColumns(mean);
    Svd svd = Svd.of(xFit);
    int rank = svd.numericalRank(xFit.rows(), xFit.cols());
    Matrix u = svd.u().selectColumns(0, rank);
    Matrix v = svd.v().selectColumns(0, rank);
    double[] s = java.util.Arrays.copyOf(svd.singularValues(), rank);
    Matrix a = features.selectRows(fold.valRows()).subtractFromColumns(mean).times(v);
    Qr qr = Qr.of(a);
    return new FoldDecomposition(fold, mean, u, s, v, qr.q(), qr.r());
  }

  public Fold fold() {
    return fold;
  }

  public int rank() {
    return s.length;
  }
}
