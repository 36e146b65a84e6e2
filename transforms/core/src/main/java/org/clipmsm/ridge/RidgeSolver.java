package org.clipmsm.ridge;

import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.stats.TestMetrics;

/**
 * Fits the ridge encoding models of a block of voxels against a shared {@link RidgeDecomposition} (docs/method.md §2):
 * per voxel, the alpha with the least validation error (pooled over folds; ties go to the earlier alpha of the
 * grid), then a refit at that alpha on all training rows, then test predictions, R^2 and Pearson r, and the
 * intercept of the uncentred model ({@code bias - featureMean . weights}, see {@link EncodingPrediction}) so that
 * the models apply to new images. Pure Java over BLAS; knows nothing of Beam.
 *
 * <p>Cost per block of m voxels: one GEMM of U^T (nFit x r) by the fitting responses and one of Q^T by the
 * validation responses per fold; per alpha, a triangular r x r product on r x m (done in cache-sized column
 * blocks); for the refit, p x r and r x p products; and the test prediction nTest x p by p x m.
 */
public final class RidgeSolver {
  /** Columns per block in the alpha search: r x 512 doubles (2 MB at r = 512) per product, chosen by measurement. */
  static final int ALPHA_BLOCK = 512;

  private RidgeSolver() {}

  /** Fits the voxels of {@code responses} (all images x m voxels, column-major). */
  public static RidgeBlockResult solve(RidgeDecomposition d, long firstVoxel, Matrix responses) {
    DataSplit split = d.split;
    if (responses.rows() != split.rows()) {
      throw new IllegalArgumentException("responses have " + responses.rows() + " rows, split is for " + split.rows());
    }
    int m = responses.cols();
    int na = d.alphas.length;
    double[] err = new double[na * m];
    Matrix fold0B = null;
    double[] fold0FitMean = null;
    Matrix fold0Val = null;
    int validationRows = 0;
    for (int f = 0; f < d.folds.size(); f++) {
      FoldDecomposition fd = d.folds.get(f);
      Matrix yFit = responses.selectRows(fd.fold.fitRows());
      double[] fitMean = yFit.columnMeans();
      yFit.subtractFromColumns(fitMean);
      Matrix b = fd.u.transposeTimes(yFit);
      Matrix yVal = responses.selectRows(fd.fold.valRows()).subtractFromColumns(fitMean);
      Matrix z = fd.q.transposeTimes(yVal);
      addConstantError(yVal, z, na, err);
      accumulateAlphaErrors(fd.r, fd.s, d.alphas, b, z, err);
      validationRows += yVal.rows();
      if (f == 0) {
        fold0B = b;
        fold0FitMean = fitMean;
        fold0Val = yVal;
      }
    }
    double[] alpha = new double[m];
    double[] valMse = new double[m];
    for (int j = 0; j < m; j++) {
      int best = -1;
      double bestErr = Double.POSITIVE_INFINITY;
      for (int a = 0; a < na; a++) {
        double e = err[a * m + j];
        if (e < bestErr) {
          bestErr = e;
          best = a;
        }
      }
      alpha[j] = best < 0 ? Double.NaN : d.alphas[best];
      valMse[j] = best < 0 ? Double.NaN : Math.max(0, bestErr) / validationRows;
    }
    double[] trainMean = new double[m];
    Matrix weights = refit(d, fold0B, fold0FitMean, fold0Val, alpha, trainMean);
    Matrix pred = d.testFeaturesCentred.times(weights).addToColumns(trainMean);
    Matrix yTest = responses.selectRows(split.testRows());
    double[] r2 = new double[m];
    double[] r = new double[m];
    int nt = yTest.rows();
    for (int j = 0; j < m; j++) {
      if (Double.isNaN(alpha[j])) {
        r2[j] = Double.NaN;
        r[j] = Double.NaN;
      } else {
        r2[j] = TestMetrics.r2(yTest.data(), j * nt, pred.data(), j * nt, nt);
        r[j] = TestMetrics.pearson(yTest.data(), j * nt, pred.data(), j * nt, nt);
      }
    }
    for (int j = 0; j < m; j++) {
      if (Double.isNaN(alpha[j])) {
        markUndefined(weights, pred, trainMean, j);
      }
    }
    // After markUndefined, so an undefined voxel's NaN weights and bias give a NaN intercept.
    double[] intercept = EncodingPrediction.intercept(weights, d.trainFeatureMean, trainMean);
    return new RidgeBlockResult(firstVoxel, weights, trainMean, intercept, d.trainFeatureMean.clone(), alpha, valMse,
        pred, yTest, r2, r);
  }

  /** ||Yv||^2 - ||Q^T Yv||^2: the part of each voxel's validation error outside the span of A. */
  private static void addConstantError(Matrix yVal, Matrix z, int na, double[] err) {
    int m = yVal.cols();
    for (int j = 0; j < m; j++) {
      double c = sumSquares(yVal.data(), j * yVal.rows(), yVal.rows())
          - sumSquares(z.data(), j * z.rows(), z.rows());
      for (int a = 0; a < na; a++) {
        err[a * m + j] += c;
      }
    }
  }

  /**
   * err[a, j] += ||Z_j - R diag(g_a) B_j||^2, g_a = s / (s^2 + alpha_a). Per alpha, R's columns are scaled once
   * (R diag(g) stays triangular), then each cache-sized column block of B is copied and multiplied in place
   * (dtrmm; dgemm when R is trapezoidal, i.e. fewer validation rows than the rank).
   */
  static void accumulateAlphaErrors(Matrix rMat, double[] s, double[] alphas, Matrix b, Matrix z, double[] err) {
    int rank = s.length;
    int k = rMat.rows();
    int m = b.cols();
    if (rank == 0 || k == 0) {
      return;
    }
    boolean triangular = k == rank;
    double[] rd = rMat.data();
    double[] rg = new double[rd.length];
    double[] block = new double[rank * Math.min(ALPHA_BLOCK, m)];
    double[] product = triangular ? block : new double[k * Math.min(ALPHA_BLOCK, m)];
    double[] bd = b.data();
    double[] zd = z.data();
    for (int a = 0; a < alphas.length; a++) {
      for (int i = 0; i < rank; i++) {
        double g = s[i] / (s[i] * s[i] + alphas[a]);
        int rows = Math.min(i + 1, k);
        for (int row = 0; row < rows; row++) {
          rg[row + i * k] = rd[row + i * k] * g;
        }
      }
      for (int j0 = 0; j0 < m; j0 += ALPHA_BLOCK) {
        int w = Math.min(ALPHA_BLOCK, m - j0);
        System.arraycopy(bd, j0 * rank, block, 0, w * rank);
        if (triangular) {
          Linalg.blas().dtrmm("L", "U", "N", "N", rank, w, 1.0, rg, rank, block, rank);
        } else {
          Linalg.blas().dgemm("N", "N", k, w, rank, 1.0, rg, k, block, rank, 0.0, product, k);
        }
        int row = a * m + j0;
        for (int jj = 0; jj < w; jj++) {
          err[row + jj] += squaredDistance(zd, (j0 + jj) * k, product, jj * k, k);
        }
      }
    }
  }

  /**
   * W = (Xc^T Xc + alpha I)^-1 Xc^T Yc on all training rows, in the training SVD's basis:
   * W = V2 diag(1 / (s2^2 + alpha_j)) V2^T C. C = Xc^T Yc is assembled from fold 0's pieces instead of a new
   * nTrain x p x m product: the fitting rows give V diag(s) B, the validation rows Xv'^T Yv (Xv' centred on its own
   * mean, so any shift of Yv drops out), and the two mean shifts nFit dxF dyF^T + nVal dxV dyV^T (the cross terms
   * vanish). Also fills {@code trainMean}, the training mean of each voxel (the bias).
   *
   * @param yVal fold 0's validation responses, centred on the fitting rows' mean
   */
  private static Matrix refit(RidgeDecomposition d, Matrix b0, double[] fitMean, Matrix yVal, double[] alpha,
      double[] trainMean) {
    FoldDecomposition f0 = d.folds.get(0);
    int m = b0.cols();
    int p = d.features;
    int rank = f0.s.length;
    Matrix sb = b0.copy();
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < rank; i++) {
        sb.data()[i + j * rank] *= f0.s[i];
      }
    }
    Matrix c = f0.v.times(sb);
    Matrix cVal = d.valFeaturesOwnCentred.transposeTimes(yVal);
    double[] valShift = yVal.columnMeans();
    int nFit = f0.fold.fitRows().length;
    int nVal = yVal.rows();
    int nTrain = nFit + nVal;
    double[] dxF = new double[p];
    double[] dxV = new double[p];
    for (int i = 0; i < p; i++) {
      dxF[i] = f0.fitFeatureMean[i] - d.trainFeatureMean[i];
      dxV[i] = d.valFeatureMean[i] - d.trainFeatureMean[i];
    }
    double[] cd = c.data();
    double[] cv = cVal.data();
    for (int j = 0; j < m; j++) {
      // Validation mean = fitMean + valShift; training mean = their row-weighted average.
      double shiftT = nVal * valShift[j] / nTrain;
      trainMean[j] = fitMean[j] + shiftT;
      double dyF = nFit * -shiftT;
      double dyV = nVal * (valShift[j] - shiftT);
      int off = j * p;
      for (int i = 0; i < p; i++) {
        cd[off + i] += cv[off + i] + dxF[i] * dyF + dxV[i] * dyV;
      }
    }
    Matrix proj = d.trainV.transposeTimes(c);
    int r2 = d.trainS.length;
    double[] pd = proj.data();
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < r2; i++) {
        double s = d.trainS[i];
        pd[i + j * r2] /= s * s + alpha[j];
      }
    }
    return d.trainV.times(proj);
  }

  private static void markUndefined(Matrix weights, Matrix pred, double[] bias, int j) {
    java.util.Arrays.fill(weights.data(), j * weights.rows(), (j + 1) * weights.rows(), Double.NaN);
    java.util.Arrays.fill(pred.data(), j * pred.rows(), (j + 1) * pred.rows(), Double.NaN);
    bias[j] = Double.NaN;
  }

  /** ||a[ao..ao+n) - b[bo..bo+n)||^2 with four partial sums, so the loop is not one long dependency chain. */
  private static double squaredDistance(double[] a, int ao, double[] b, int bo, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      double d0 = a[ao + i] - b[bo + i];
      double d1 = a[ao + i + 1] - b[bo + i + 1];
      double d2 = a[ao + i + 2] - b[bo + i + 2];
      double d3 = a[ao + i + 3] - b[bo + i + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; i < n; i++) {
      double d0 = a[ao + i] - b[bo + i];
      s0 += d0 * d0;
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static double sumSquares(double[] a, int off, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[off + i] * a[off + i];
    }
    return s;
  }
}
