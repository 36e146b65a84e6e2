package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.beam.Progress;
import org.clipmsm.pipelines.FitPipeline;
import org.clipmsm.pipelines.FitSettings;
import org.clipmsm.pipelines.SignificanceTest;
import org.clipmsm.ridge.SplitSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Fits voxel-wise ridge encoding models from image features to each voxel's response.",
        "Writes in DIR: weights.npy (features x voxels), intercept.npy, feature_mean.npy, bias.npy, alpha.npy,",
        "test_index.npy (int64 rows), pred_test.npy (test rows x voxels, in test_index order), r2.npy, r.npy,",
        "models.avro (EncodingModel); with --significance also p.npy, q.npy, significant.npy; with --ncsnr also",
        "noise_ceiling.npy. New images: X_new @ weights.npy + intercept.npy (see predict)."})
final class FitCommand implements Callable<Integer> {
  private static final SplitSpec SPLIT = SplitSpec.defaults();

  @Option(names = "--features", required = true, paramLabel = "X.npy",
      description = "Image features, images x features (float32/float64; (n,1,d) accepted).")
  Path features;

  @Option(names = "--responses", required = true, paramLabel = "Y.npy",
      description = "Voxel responses, images x voxels (float32/float64), rows as in --features.")
  Path responses;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--seed", description = "Split seed (default ${DEFAULT-VALUE}); the test rows equal scikit-learn's"
      + " train_test_split(random_state=seed).")
  long seed = SPLIT.seed();

  @Option(names = "--test-fraction", description = "Test fraction (default ${DEFAULT-VALUE}).")
  double testFraction = SPLIT.testFraction();

  @Option(names = "--val-fraction",
      description = "Hold-out fraction of the training rows that chooses alpha (default ${DEFAULT-VALUE}).")
  double valFraction = SPLIT.valFraction();

  @Option(names = "--folds", paramLabel = "K",
      description = "Choose alpha by K-fold cross-validation over the training rows instead of one hold-out.")
  Integer folds;

  @Option(names = "--train-pieces", paramLabel = "N",
      description = "Learning-curve split: 40 seeded pieces, test = last 6, train = first N (5..34).")
  Integer trainPieces;

  @Option(names = "--alphas", paramLabel = "GRID", description = "paper (1e-8..1e10, 100 log-spaced), code"
      + " (logspace(-8, 0.5 log10(p) + 8, 100)) or a1,a2,... (default ${DEFAULT-VALUE}).")
  String alphas = FitSettings.DEFAULT_ALPHAS;

  @Option(names = "--test-index", paramLabel = "I.npy", description = "Exactly these test rows (integer .npy).")
  Path testIndex;

  @Option(names = "--val-index", paramLabel = "J.npy", description = "Exactly these validation rows (integer .npy).")
  Path valIndex;

  @Mixin
  BlockOptions blocks;

  @Option(names = "--significance", description = "Also bootstrap each voxel's test R^2 and adjust by BH-FDR"
      + " (as the significance command), filling p, q and significant in models.avro.")
  boolean significance;

  @Mixin
  SignificanceTestOptions test;

  @Option(names = "--bootstrap-seed", description = "With --significance: resampling seed (default"
      + " ${DEFAULT-VALUE}).")
  long bootstrapSeed = SignificanceTest.DEFAULTS.bootstrapSeed();

  @Mixin
  NoiseCeilingOptions noiseCeiling;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    SplitSpec split = SplitSpec.defaults().withSeed(seed).withTestFraction(testFraction);
    if (trainPieces != null) {
      split = split.withTrainPieces(trainPieces);
    }
    split = split.withValFraction(valFraction);
    if (folds != null) {
      split = split.withFolds(folds);
    }
    FitSettings s = FitSettings.of(features, responses, out).withSplit(split).withTestIndex(testIndex)
        .withValIndex(valIndex).withAlphas(alphas).withVoxelsPerBlock(blocks.voxelsPerBlock);
    if (significance) {
      s = s.withSignificance(test.test(bootstrapSeed));
    }
    if (noiseCeiling.given()) {
      s = s.withNoiseCeiling(noiseCeiling.ncsnr(), noiseCeiling.trials());
    }
    long t0 = System.nanoTime();
    FitPipeline.Summary r = FitPipeline.run(runner.build(), s, Progress.lines("clipmsm"));
    System.out.printf("fit: %d images (%d train, %d test) x %d features -> %d voxels in %.1f s; median test R^2 %.4f;"
        + " wrote %s%n", r.images(), r.trainRows(), r.testRows(), r.features(), r.voxels(),
        (System.nanoTime() - t0) / 1e9, r.medianR2(), out);
    if (r.significant() >= 0) {
      System.out.printf("fit: %d of %d voxels significant at FDR %.3g%n", r.significant(), r.voxels(), test.q);
    }
    if (r.undefinedR2() > 0) {
      System.err.printf("clipmsm fit: warning: %d voxels have undefined R^2 (NaN): constant or non-finite"
          + " responses%n", r.undefinedR2());
    }
    return 0;
  }
}
