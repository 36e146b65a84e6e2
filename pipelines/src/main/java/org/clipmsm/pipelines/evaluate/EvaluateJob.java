package org.clipmsm.pipelines.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.pipelines.output.OutputDirectory;

/**
 * The paper's comparisons (docs/evaluation.md): reads a run directory, checks every input up front (one-line
 * {@link org.clipmsm.InvalidInputException}s naming the file and what was expected), computes each output its inputs
 * allow (Fig. 2's R^2 tables, t-tests, learning curve and histogram; Fig. 3's cosines and t-tests; Fig. 4's counts
 * and probe images; Fig. 5's [0, 1] maps; Fig. 6's correlations and t-tests) and writes them into
 * {@code run/evaluation}, staged and committed as a whole; what was left out, and why, is listed in parameters.csv.
 * A driver-side job: the inputs are per-voxel arrays.
 *
 * <pre>{@code
 * EvaluateJob.Summary s = EvaluateJob.run(EvaluateSettings.of(Path.of("run")));
 * }</pre>
 */
public final class EvaluateJob {
  private EvaluateJob() {}

  /**
   * What evaluate did.
   *
   * @param out the result directory
   * @param subjects the subjects, in name order
   * @param models the models of models.txt
   * @param labels labels in labels.txt (0 without it)
   * @param files the files written, relative to {@code out}
   * @param skipped what was left out and why
   * @param meanR2 per model, each subject's mean test R^2 over all its voxels
   * @param fig6 per label of Fig. 6: {mean r_msm, mean r_onehot, subjects} over the subjects
   */
  public record Summary(Path out, List<String> subjects, List<String> models, int labels, List<String> files,
      List<String> skipped, Map<String, List<Double>> meanR2, Map<String, double[]> fig6) {}

  public static Summary run(EvaluateSettings s) {
    Path run = s.run().toAbsolutePath().normalize();
    RunInputs in = RunInputs.read(run);
    try (OutputDirectory out = OutputDirectory.open(run.resolve(EvaluateSettings.OUT), new ArrayList<>(in.read))) {
      EvaluationTables tables = new EvaluationTables(in, out.dir());
      tables.writeAll();
      out.commit();
      List<String> skipped = new ArrayList<>(in.notes);
      for (SubjectInputs subject : in.subjects) {
        for (String note : subject.notes) {
          skipped.add(subject.name + ": " + note);
        }
      }
      skipped.addAll(tables.skipped);
      return new Summary(run.resolve(EvaluateSettings.OUT), in.subjects.stream().map(x -> x.name).toList(),
          in.models, in.labels == null ? 0 : in.labels.size(), List.copyOf(tables.written), List.copyOf(skipped),
          new LinkedHashMap<>(tables.meanR2), new LinkedHashMap<>(tables.fig6));
    }
  }
}
