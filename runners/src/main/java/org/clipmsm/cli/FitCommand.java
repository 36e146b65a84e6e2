package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.clipmsm.pipelines.FitOptions;
import org.clipmsm.pipelines.FitPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Fit voxel-wise ridge encoding models: features -> each voxel's response (the CLIP-MSM encoding model).",
        "Writes in DIR: weights.npy (features x voxels), bias.npy, alpha.npy, test_index.npy (int64 rows),",
        "pred_test.npy (test rows x voxels, in test_index order), r2.npy, r.npy, models.avro (EncodingModel);",
        "with --significance also p.npy, q.npy, significant.npy; with --ncsnr also noise_ceiling.npy."})
final class FitCommand implements Callable<Integer> {
  @Option(names = "--features", required = true, paramLabel = "X.npy",
      description = "Image features, images x features (float32/float64; (n,1,d) accepted).")
  String features;

  @Option(names = "--responses", required = true, paramLabel = "Y.npy",
      description = "Voxel responses, images x voxels (float32/float64), rows as in --features.")
  String responses;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(names = "--seed", defaultValue = "42", description = "Split seed (default ${DEFAULT-VALUE}); the test"
      + " rows equal scikit-learn's train_test_split(random_state=seed).")
  long seed;

  @Option(names = "--test-fraction", defaultValue = "0.15", description = "Test fraction (default ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--val-fraction", defaultValue = "0.15",
      description = "Hold-out fraction of the training rows that chooses alpha (default ${DEFAULT-VALUE}).")
  double valFraction;

  @Option(names = "--folds", defaultValue = "0", paramLabel = "K",
      description = "Choose alpha by K-fold cross-validation over the training rows instead of one hold-out.")
  int folds;

  @Option(names = "--train-pieces", defaultValue = "0", paramLabel = "N",
      description = "Learning-curve split: 40 seeded pieces, test = last 6, train = first N (5..34).")
  int trainPieces;

  @Option(names = "--alphas", defaultValue = "code", paramLabel = "GRID", description = "paper (1e-8..1e10, 100"
      + " log-spaced), code (logspace(-8, 0.5 log10(p) + 8, 100), default) or a1,a2,...")
  String alphas;

  @Option(names = "--test-index", paramLabel = "I.npy", description = "Exactly these test rows (integer .npy).")
  String testIndex;

  @Option(names = "--val-index", paramLabel = "J.npy", description = "Exactly these validation rows (integer .npy).")
  String valIndex;

  @Option(names = "--voxels-per-block", defaultValue = "1024", paramLabel = "N",
      description = "Voxels per block, the unit of parallel work (default ${DEFAULT-VALUE}). Results depend on it"
          + " only in the last bits, and never on the runner or --parallelism.")
  int voxelsPerBlock;

  @Option(names = "--significance", description = "Also bootstrap each voxel's test R^2 and adjust by BH-FDR"
      + " (as the significance command), filling p, q and significant in models.avro.")
  boolean significance;

  @Option(names = "--bootstraps", defaultValue = "2000", description = "With --significance: resamples (default"
      + " ${DEFAULT-VALUE}).")
  int bootstraps;

  @Option(names = "--bootstrap-seed", defaultValue = "41", description = "With --significance: resampling seed"
      + " (default ${DEFAULT-VALUE}).")
  long bootstrapSeed;

  @Option(names = "--q", defaultValue = "0.05", description = "With --significance: FDR level (default"
      + " ${DEFAULT-VALUE}).")
  double q;

  @Option(names = "--ncsnr", paramLabel = "F.npy", description = "ncsnr per voxel: also write noise_ceiling.npy and"
      + " fill noiseCeiling in models.avro (with --trials or --trial-counts).")
  String ncsnr;

  @Option(names = "--trials", defaultValue = "0", paramLabel = "n", description = "With --ncsnr: trials averaged.")
  int trials;

  @Option(names = "--trial-counts", paramLabel = "A,B,C", description = "With --ncsnr: images with 3, 2, 1 trials.")
  String trialCounts;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    FitOptions o = runner.build(FitOptions.class);
    o.setFeatures(features);
    o.setResponses(responses);
    o.setOut(out);
    o.setSeed(seed);
    o.setTestFraction(testFraction);
    o.setValFraction(valFraction);
    o.setFolds(folds);
    o.setTrainPieces(trainPieces);
    o.setAlphas(alphas);
    o.setTestIndex(testIndex);
    o.setValIndex(valIndex);
    o.setVoxelsPerBlock(voxelsPerBlock);
    o.setWithSignificance(significance);
    o.setBootstraps(bootstraps);
    o.setBootstrapSeed(bootstrapSeed);
    o.setQ(q);
    o.setNcsnr(ncsnr);
    o.setTrials(trials);
    o.setTrialCounts(trialCounts);
    long t0 = System.nanoTime();
    FitPipeline.Summary s = FitPipeline.run(o);
    System.out.printf("fit: %d images (%d train, %d test) x %d features -> %d voxels in %.1f s; median test R^2 %.4f;"
        + " wrote %s%n", s.images(), s.trainRows(), s.testRows(), s.features(), s.voxels(),
        (System.nanoTime() - t0) / 1e9, s.medianR2(), out);
    if (s.significant() >= 0) {
      System.out.printf("fit: %d of %d voxels significant at FDR %.3g%n", s.significant(), s.voxels(), q);
    }
    if (s.undefinedR2() > 0) {
      System.err.printf("clipmsm fit: warning: %d voxels have undefined R^2 (NaN): constant or non-finite"
          + " responses%n", s.undefinedR2());
    }
    return 0;
  }
}
