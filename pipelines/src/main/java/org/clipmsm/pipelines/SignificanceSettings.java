package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.beam.ReadVoxelBlocks;

/**
 * Significance of test R^2 ({@link SignificancePipeline}): bootstrap p-values from test predictions and measured
 * responses, or only the Benjamini-Hochberg adjustment of given p-values.
 *
 * @param pred test predictions, test rows x voxels (null with {@code pValues})
 * @param actual measured test responses, same shape and rows (null with {@code pValues})
 * @param pValues p-values to adjust, {@code (voxels,)} (null for the bootstrap)
 * @param out the result directory
 * @param test resamples, seed and FDR level
 * @param voxelsPerBlock voxels per unit of parallel work
 */
public record SignificanceSettings(Path pred, Path actual, Path pValues, Path out, SignificanceTest test,
    int voxelsPerBlock) {
  public SignificanceSettings {
    boolean bootstrap = pred != null && actual != null;
    if (bootstrap == (pValues != null) || (pValues != null && (pred != null || actual != null))) {
      throw new IllegalArgumentException("give pred and actual, or pValues");
    }
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(test, "test");
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
  }

  /** Bootstrap p-values of test R^2, then their adjustment. */
  public static SignificanceSettings bootstrap(Path pred, Path actual, Path out) {
    return new SignificanceSettings(pred, actual, null, out, SignificanceTest.DEFAULTS,
        ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK);
  }

  /** Only the adjustment of these p-values. */
  public static SignificanceSettings adjust(Path pValues, Path out) {
    return new SignificanceSettings(null, null, pValues, out, SignificanceTest.DEFAULTS,
        ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK);
  }

  public boolean bootstraps() {
    return pValues == null;
  }

  public SignificanceSettings withTest(SignificanceTest t) {
    return new SignificanceSettings(pred, actual, pValues, out, t, voxelsPerBlock);
  }

  public SignificanceSettings withVoxelsPerBlock(int n) {
    return new SignificanceSettings(pred, actual, pValues, out, test, n);
  }
}
