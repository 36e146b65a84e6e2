package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.pipelines.PredictJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Predicts the voxels' responses to new images with a fitted encoding model.",
        "pred = X @ weights.npy + intercept.npy (scikit-learn's predict), images x voxels, float64."})
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FITDIR", description = "A directory fit wrote"
      + " (weights.npy, intercept.npy).")
  Path model;

  @Option(names = "--features", required = true, paramLabel = "X.npy", description = "Features of the new images,"
      + " images x features, from the same encoder as the fit's.")
  Path features;

  @Option(names = "--out", required = true, paramLabel = "pred.npy", description = "Output .npy.")
  Path out;

  @Override
  public Integer call() {
    PredictJob.Summary s = PredictJob.run(new PredictJob.Settings(model, features, out));
    System.out.printf("predict: %d images x %d voxels; wrote %s%n", s.images(), s.voxels(), out);
    return 0;
  }
}
