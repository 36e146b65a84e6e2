package org.clipmsm.ridge;

import java.io.Serializable;
import org.clipmsm.linalg.Matrix;

/**
 * The encoding models of a block of consecutive voxels {@code firstVoxel .. firstVoxel + voxels - 1}.
 *
 * <p>A model applies to new images (rows of {@code features}, raw, not centred) in either of two equal forms:
 * {@code (features - featureMean) weights + bias} or {@code features weights + intercept}; the second is
 * {@link EncodingPrediction#predict}.
 *
 * @param weights features x voxels, fitted on centred features and responses
 * @param bias training mean of each voxel's response
 * @param intercept per voxel, {@code bias - featureMean . weights}: the intercept of the uncentred model, as
 *     scikit-learn's {@code Ridge(fit_intercept=True).intercept_} (NaN where the voxel is undefined)
 * @param featureMean training mean of each feature (the centring of the features), the same for every voxel and
 *     every block of a split
 * @param alpha chosen penalty per voxel (NaN for a voxel whose responses are not all finite)
 * @param validationMse mean squared validation error at the chosen alpha, pooled over folds
 * @param testPredictions test rows (in split order) x voxels
 * @param testResponses the measured test responses, same layout
 * @param r2 test R^2 per voxel
 * @param r test Pearson r per voxel
 */
public record RidgeBlockResult(long firstVoxel, Matrix weights, double[] bias, double[] intercept,
    double[] featureMean, double[] alpha, double[] validationMse, Matrix testPredictions, Matrix testResponses,
    double[] r2, double[] r) implements Serializable {

  public int voxels() {
    return bias.length;
  }

  /** Voxels whose R^2 is undefined: constant or non-finite test responses, or non-finite training responses. */
  public int undefinedCount() {
    int c = 0;
    for (double v : r2) {
      if (Double.isNaN(v)) {
        c++;
      }
    }
    return c;
  }
}
