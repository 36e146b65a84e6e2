package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.ridge.AlphaGrid;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.stats.AveragedTrials;

/**
 * Voxel-wise ridge encoding models ({@link FitPipeline}), with optional significance and noise ceiling in the same
 * run.
 *
 * @param features image features, images x features .npy
 * @param responses voxel responses, images x voxels .npy, rows as in the features
 * @param out the result directory
 * @param split how the images split into training, validation and test rows (docs/method.md §2.1, §2.3)
 * @param testIndex exactly these test rows (an integer .npy), or null for the split's own
 * @param valIndex exactly these validation rows among the training rows, or null
 * @param alphas the alpha grid: {@code code}, {@code paper} or a comma-separated list ({@link AlphaGrid#parse})
 * @param voxelsPerBlock voxels per unit of parallel work
 * @param significance bootstrap and FDR of each voxel's test R^2, or null for none
 * @param ncsnr ncsnr per voxel for the noise ceiling, or null (then {@code trials} is null too)
 * @param trials trials averaged per response, with {@code ncsnr}
 */
public record FitSettings(Path features, Path responses, Path out, SplitSpec split, Path testIndex, Path valIndex,
    String alphas, int voxelsPerBlock, SignificanceTest significance, Path ncsnr, AveragedTrials trials) {
  /** The code's alpha grid, {@code logspace(-8, 0.5 log10(p) + 8, 100)}. */
  public static final String DEFAULT_ALPHAS = "code";

  public FitSettings {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(responses, "responses");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(split, "split");
    AlphaGrid.parse(alphas, 1);
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
    if ((ncsnr == null) != (trials == null)) {
      throw new IllegalArgumentException("ncsnr and trials come together");
    }
  }

  /** The method's defaults: seed 42, 15% test, 15% of training for validation, the code's alpha grid. */
  public static FitSettings of(Path features, Path responses, Path out) {
    return new FitSettings(features, responses, out, SplitSpec.defaults(), null, null, DEFAULT_ALPHAS,
        ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK, null, null, null);
  }

  public FitSettings withSplit(SplitSpec s) {
    return new FitSettings(features, responses, out, s, testIndex, valIndex, alphas, voxelsPerBlock, significance,
        ncsnr, trials);
  }

  public FitSettings withTestIndex(Path file) {
    return new FitSettings(features, responses, out, split, file, valIndex, alphas, voxelsPerBlock, significance,
        ncsnr, trials);
  }

  public FitSettings withValIndex(Path file) {
    return new FitSettings(features, responses, out, split, testIndex, file, alphas, voxelsPerBlock, significance,
        ncsnr, trials);
  }

  public FitSettings withAlphas(String grid) {
    return new FitSettings(features, responses, out, split, testIndex, valIndex, grid, voxelsPerBlock, significance,
        ncsnr, trials);
  }

  public FitSettings withVoxelsPerBlock(int n) {
    return new FitSettings(features, responses, out, split, testIndex, valIndex, alphas, n, significance, ncsnr,
        trials);
  }

  public FitSettings withSignificance(SignificanceTest test) {
    return new FitSettings(features, responses, out, split, testIndex, valIndex, alphas, voxelsPerBlock, test, ncsnr,
        trials);
  }

  public FitSettings withNoiseCeiling(Path ncsnrFile, AveragedTrials averaged) {
    return new FitSettings(features, responses, out, split, testIndex, valIndex, alphas, voxelsPerBlock, significance,
        ncsnrFile, averaged);
  }
}
