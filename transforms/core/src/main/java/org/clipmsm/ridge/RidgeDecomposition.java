package org.clipmsm.ridge;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.linalg.Svd;

/**
 * Everything about the features that all voxels share, computed once per split (docs/method.md §2): one
 * {@link FoldDecomposition} per validation fold, the SVD of the centred training features for the refit, and the
 * centred test features for the test predictions. It is the side input of the voxel-parallel fit.
 */
public final class RidgeDecomposition implements Serializable {
  private static final long serialVersionUID = 1L;

  final DataSplit split;
  final double[] alphas;
  /** One per fold of the split; each holds its fold with rows sorted ascending (see FoldDecomposition.of). */
  final List<FoldDecomposition> folds;
  final int features;
  /** Mean of the training rows' features (the model's centring). */
  final double[] trainFeatureMean;
  /** Right singular vectors and singular values of the centred training features: p x r2, r2. */
  final Matrix trainV;
  final double[] trainS;
  /** Fold 0's validation features centred on their own mean, nVal x p (for the refit's X^T Y). */
  final Matrix valFeaturesOwnCentred;
  final double[] valFeatureMean;
  /** Test features centred on the training mean, nTest x p. */
  final Matrix testFeaturesCentred;

  private RidgeDecomposition(DataSplit split, double[] alphas, List<FoldDecomposition> folds, int features,
      double[] trainFeatureMean, Matrix trainV, double[] trainS, Matrix valFeaturesOwnCentred,
      double[] valFeatureMean, Matrix testFeaturesCentred) {
    this.split = split;
    this.alphas = alphas;
    this.folds = folds;
    this.features = features;
    this.trainFeatureMean = trainFeatureMean;
    this.trainV = trainV;
    this.trainS = trainS;
    this.valFeaturesOwnCentred = valFeaturesOwnCentred;
    this.valFeatureMean = valFeatureMean;
    this.testFeaturesCentred = testFeaturesCentred;
  }

  /**
   * Decomposes the features (images x features) for this split and alpha grid. Features must be finite: a NaN or
   * infinity would silently poison every voxel.
   */
  public static RidgeDecomposition compute(Matrix features, DataSplit split, double[] alphas) {
    if (features.rows() != split.rows()) {
      throw new InvalidInputException("features: " + features.rows() + " rows, but the split is for " + split.rows());
    }
    features.requireFinite("features", "numbers", 0);
    if (alphas.length == 0) {
      throw new InvalidInputException("alphas: expected at least one value");
    }
    List<FoldDecomposition> folds = new ArrayList<>();
    for (Fold f : split.folds()) {
      folds.add(FoldDecomposition.of(features, f));
    }
    Matrix xTrain = features.selectRows(split.trainRows());
    double[] trainMean = xTrain.columnMeans();
    xTrain.subtractFromColumns(trainMean);
    Svd svd = Svd.of(xTrain, false);
    int rank = svd.numericalRank(xTrain.rows(), xTrain.cols());
    Matrix trainV = svd.v().selectColumns(0, rank);
    double[] trainS = java.util.Arrays.copyOf(svd.singularValues(), rank);
    Matrix xVal = features.selectRows(folds.get(0).fold().valRows());
    double[] valMean = xVal.columnMeans();
    xVal.subtractFromColumns(valMean);
    Matrix xTest = features.selectRows(split.testRows()).subtractFromColumns(trainMean);
    return new RidgeDecomposition(split, alphas.clone(), folds, features.cols(), trainMean, trainV, trainS, xVal,
        valMean, xTest);
  }

  public DataSplit split() {
    return split;
  }

  public double[] alphas() {
    return alphas.clone();
  }

  public int features() {
    return features;
  }

  /**
   * Mean of each feature over all training rows, the rows the refit uses: the centring of every voxel's model of
   * this split ({@code feature_mean.npy}; also on each {@link RidgeBlockResult#featureMean()}). A copy.
   */
  public double[] trainFeatureMean() {
    return trainFeatureMean.clone();
  }
}
