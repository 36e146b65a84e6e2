package org.clipmsm.ridge;

import java.util.Objects;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.linalg.Matrix;

/**
 * Applies fitted encoding models to new images (docs/method.md §2): {@code prediction = features . weights +
 * intercept},
 * with the features raw (not centred) and the intercept of the uncentred model,
 * {@code intercept = responseMean - featureMean . weights}, exactly as scikit-learn's
 * {@code Ridge(fit_intercept=True)} stores {@code intercept_}. The fit's own test predictions,
 * {@code (features - featureMean) weights + responseMean}, are the same numbers up to rounding.
 *
 * <p>Pure Java over BLAS; knows nothing of Beam. A voxel whose weights or intercept are NaN (an undefined fit)
 * predicts NaN, never 0.
 */
public final class EncodingPrediction {
  private EncodingPrediction() {}

  /**
   * {@code features weights + 1 intercept^T}: one row per image, one column per voxel.
   *
   * @param features images x features, raw (as given to the fit, not centred); must be finite
   * @param weights features x voxels, as {@link RidgeBlockResult#weights()} or {@code weights.npy}
   * @param intercept one per voxel, as {@link RidgeBlockResult#intercept()}
   * @throws InvalidInputException when the shapes disagree or a feature is NaN or infinite; the message names the
   *     parameter and the values
   */
  public static Matrix predict(Matrix features, Matrix weights, double[] intercept) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(intercept, "intercept");
    if (features.cols() != weights.rows()) {
      throw new InvalidParameterException("features", features.cols() + " columns, but weights has " + weights.rows()
          + " rows (expected one weight row per feature)");
    }
    if (intercept.length != weights.cols()) {
      throw new InvalidParameterException("intercept", intercept.length + " values, but weights has "
          + weights.cols() + " columns (expected one intercept per voxel)");
    }
    features.requireFinite("features", "numbers", 0);
    return features.times(weights).addToColumns(intercept);
  }

  /**
   * The intercept of the uncentred model, per voxel: {@code responseMean[j] - sum_k featureMean[k] weights[k, j]}
   * (the dot product summed in feature order). NaN where the voxel's weights or response mean are NaN.
   *
   * @param weights features x voxels, fitted on features and responses centred on {@code featureMean} and
   *     {@code responseMean}
   * @param featureMean the training mean of each feature; must be finite
   * @param responseMean the training mean of each voxel's response (the bias)
   */
  public static double[] intercept(Matrix weights, double[] featureMean, double[] responseMean) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(featureMean, "featureMean");
    Objects.requireNonNull(responseMean, "responseMean");
    int p = weights.rows();
    int m = weights.cols();
    if (featureMean.length != p) {
      throw new InvalidParameterException("featureMean", featureMean.length + " values, but weights has " + p
          + " rows (expected one mean per feature)");
    }
    if (responseMean.length != m) {
      throw new InvalidParameterException("responseMean", responseMean.length + " values, but weights has " + m
          + " columns (expected one mean per voxel)");
    }
    for (int k = 0; k < p; k++) {
      if (!Double.isFinite(featureMean[k])) {
        throw new InvalidParameterException("featureMean", "non-finite value " + featureMean[k] + " at index " + k
            + " (expected finite numbers)");
      }
    }
    double[] w = weights.data();
    double[] out = new double[m];
    for (int j = 0; j < m; j++) {
      double dot = 0;
      int off = j * p;
      for (int k = 0; k < p; k++) {
        dot += featureMean[k] * w[off + k];
      }
      out[j] = responseMean[j] - dot;
    }
    return out;
  }
}
