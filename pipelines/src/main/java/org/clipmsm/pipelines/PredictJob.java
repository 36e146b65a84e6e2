package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.output.OutputFile;
import org.clipmsm.ridge.EncodingPrediction;

/**
 * Responses of new images predicted by a fitted encoding model: {@code X_new @ weights.npy + intercept.npy}, as
 * scikit-learn's {@code predict} with {@code intercept_} (docs/method.md §2.4), written as a float64 images x voxels
 * .npy. Works through the voxels a block at a time, so memory holds the features and one block of weights and
 * predictions, never the whole model.
 *
 * <pre>{@code
 * PredictJob.run(new PredictJob.Settings(Path.of("fit"), Path.of("X_new.npy"), Path.of("pred.npy")));
 * }</pre>
 */
public final class PredictJob {
  private PredictJob() {}

  /**
   * @param model a directory that fit wrote ({@code weights.npy}, {@code intercept.npy})
   * @param features image features of the new images, images x features (as the model's; (n, 1, d) accepted)
   * @param out the predictions, images x voxels float64 .npy
   */
  public record Settings(Path model, Path features, Path out) {
    public Settings {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(features, "features");
      Objects.requireNonNull(out, "out");
    }
  }

  /** Images and voxels predicted. */
  public record Summary(int images, int voxels) {}

  public static Summary run(Settings s) {
    Path weights = s.model().resolve(FitPipeline.WEIGHTS);
    Path interceptFile = s.model().resolve(FitPipeline.INTERCEPT);
    if (!java.nio.file.Files.exists(interceptFile)) {
      throw new InvalidInputException(interceptFile + ": no such file (expected the directory of a fit that wrote"
          + " weights.npy and intercept.npy)");
    }
    NpyHeader wh = Inputs.matrix(weights, "features x voxels");
    double[] intercept = Npy.readVector(interceptFile);
    if (intercept.length != wh.cols()) {
      throw new InvalidInputException(interceptFile.getFileName() + ": " + intercept.length + " values, but "
          + weights.getFileName() + " has " + wh.cols() + " voxels (expected one intercept per voxel)");
    }
    NpyHeader xh = Npy.readHeader(s.features());
    if (xh.ndim() != 2 && xh.ndim() != 3) {
      throw new InvalidInputException(s.features().getFileName() + ": expected a 2-D array (images x features),"
          + " found " + xh.ndim() + "-D");
    }
    if (xh.cols() != wh.rows()) {
      throw new InvalidInputException(s.features().getFileName() + ": " + xh.cols() + " features, but "
          + weights.getFileName() + " has " + wh.rows() + " rows (expected the features the model was fitted on)");
    }
    Matrix x = new Matrix(xh.rows(), xh.cols(), Npy.readMatrix(s.features()));
    x.requireFinite(s.features().getFileName().toString(), "features", 0);
    int voxels = wh.cols();
    try (OutputFile out = OutputFile.open(s.out(), List.of(s.features(), weights, interceptFile))) {
      NpyRanges.createMatrix(out.staged(), x.rows(), voxels, Npy.DType.FLOAT64);
      for (var block : ReadVoxelBlocks.ranges(voxels, ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK)) {
        int first = block.getKey().intValue();
        int width = block.getValue();
        Matrix w = new Matrix(wh.rows(), width, Npy.readColumns(weights, first, width));
        double[] b = java.util.Arrays.copyOfRange(intercept, first, first + width);
        Matrix pred = EncodingPrediction.predict(x, w, b);
        NpyRanges.writeColumns(out.staged(), first, pred.data(), width);
      }
      out.commit();
    }
    return new Summary(x.rows(), voxels);
  }
}
