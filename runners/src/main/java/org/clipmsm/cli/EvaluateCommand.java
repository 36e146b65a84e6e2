package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clipmsm.pipelines.evaluate.EvaluateJob;
import org.clipmsm.pipelines.evaluate.EvaluateSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Computes the paper's comparisons from a run directory as CSV files in RUN/evaluation.",
        "Fig. 2 (R^2 per ROI and model, paired t-tests, learning curve, R^2 against noise ceiling), Fig. 3 (cosines of",
        "CLIP-MSM's and Network Dissection's labels), Fig. 4 (top-label counts, probe images), Fig. 5 (maps scaled to",
        "[0, 1]) and Fig. 6 (r with the fLoc ground truth, t-tests across subjects); what a run lacks is left out and",
        "listed in parameters.csv. The layout and every column: docs/evaluation.md."})
final class EvaluateCommand implements Callable<Integer>, Flags.Renamed {
  @Option(names = "--run", required = true, paramLabel = "RUN", description = "The run directory: labels.txt,"
      + " text.npy, models.txt, optional concepts.txt and concepts_text.npy, and one directory per subject.")
  Path run;

  /** The result directory RUN/evaluation is the job's "out": its errors name --run. */
  @Override
  public Map<String, String> renamedOptions() {
    return Map.of("out", "--run");
  }

  @Override
  public Integer call() {
    EvaluateJob.Summary s = EvaluateJob.run(EvaluateSettings.of(run));
    System.out.printf("evaluate: %d subjects (%s), models %s, %d labels; wrote %d files in %s%n",
        s.subjects().size(), String.join(", ", s.subjects()), String.join(", ", s.models()), s.labels(),
        s.files().size(), s.out());
    for (Map.Entry<String, List<Double>> e : s.meanR2().entrySet()) {
      System.out.printf("  mean test R^2 of %s over all voxels: %s%n", e.getKey(), e.getValue().stream()
          .map(x -> String.format("%.4f", x)).toList());
    }
    for (Map.Entry<String, double[]> e : s.fig6().entrySet()) {
      System.out.printf("  %s: mean r with the ground truth, CLIP-MSM %.3f, one-hot %.3f (%d subjects)%n",
          e.getKey(), e.getValue()[0], e.getValue()[1], (int) e.getValue()[2]);
    }
    if (!s.skipped().isEmpty()) {
      System.out.printf("  left out (see parameters.csv): %d%n", s.skipped().size());
    }
    return 0;
  }
}
