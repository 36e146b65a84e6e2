package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the voxel-wise ridge fit ({@link FitPipeline}); the command line's {@code fit} sets them. */
public interface FitOptions extends CommonOptions, BootstrapSettings, NoiseCeilingSettings {
  @Description("Image features, .npy (images x features), float32 or float64")
  @Validation.Required
  String getFeatures();

  void setFeatures(String v);

  @Description("Voxel responses, .npy (images x voxels), float32 or float64")
  @Validation.Required
  String getResponses();

  void setResponses(String v);

  @Description("Seed of the train/test and validation splits (NumPy RandomState semantics)")
  @Default.Long(42)
  long getSeed();

  void setSeed(long v);

  @Description("Fraction of images held out for testing")
  @Default.Double(0.15)
  double getTestFraction();

  void setTestFraction(double v);

  @Description("Fraction of the training images held out to choose alpha")
  @Default.Double(0.15)
  double getValFraction();

  void setValFraction(double v);

  @Description("K-fold cross-validation to choose alpha instead of one hold-out (0 = hold-out)")
  @Default.Integer(0)
  int getFolds();

  void setFolds(int v);

  @Description("Learning-curve split: 40 seeded pieces, test = last 6, train = the first N (0 = off)")
  @Default.Integer(0)
  int getTrainPieces();

  void setTrainPieces(int v);

  @Description("Alpha grid: paper, code, or a1,a2,...")
  @Default.String("code")
  String getAlphas();

  void setAlphas(String v);

  @Description("Test rows, .npy of integer row indices; all other rows train")
  String getTestIndex();

  void setTestIndex(String v);

  @Description("Validation rows, .npy of integer row indices among the training rows")
  String getValIndex();

  void setValIndex(String v);

  @Description("Also test each voxel's R^2 by bootstrap and FDR, filling p, q and significant in the records")
  @Default.Boolean(false)
  boolean getWithSignificance();

  void setWithSignificance(boolean v);
}
