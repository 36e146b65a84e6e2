package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.beam.Progress;
import org.clipmsm.embed.Djl;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.pipelines.study.DemoSettings;
import org.clipmsm.pipelines.study.DemoStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the nsd study on eight synthetic NSD subjects with a planted answer, in two regimes.",
        "Cortex-like subjects (overlapping ROIs, mixed and weak selectivity) and, for comparison, subjects whose",
        "voxels are each dominated by their ROI's category: synth nsd, then the whole nsd study (prepare, tiny-CLIP",
        "embeddings, fits, dissection, evaluation, report) per regime; then the paper's Fig. 6 (CLIP-MSM vs",
        "CLIP-Dissect against the fLoc ground truth, paired t-test across subjects) beside the ceiling of a perfect",
        "one-hot map, in DIR/demo_table.csv."})
final class DemoCommand implements Callable<Integer>, Flags.Renamed {
  private static final DemoSettings DEFAULTS = DemoSettings.DEFAULTS;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out = DEFAULTS.out();

  @Option(names = "--seed", description = "Seed of the synthetic subjects (default ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(names = "--subjects", description = "Synthetic subjects per regime (default ${DEFAULT-VALUE}, as NSD).")
  int subjects = DEFAULTS.subjects();

  @Option(names = "--images", description = "Images, a multiple of 250 (default ${DEFAULT-VALUE}; each shown 3"
      + " times).")
  int images = DEFAULTS.images();

  @Option(names = "--voxels", description = "ROI voxels per subject (default ${DEFAULT-VALUE}).")
  int voxels = DEFAULTS.voxels();

  @Option(names = "--image-size", description = "Stimulus side in pixels (default ${DEFAULT-VALUE}).")
  int imageSize = DEFAULTS.imageSize();

  @Option(names = "--model", paramLabel = "DIR|tiny-clip", description = "CLIP model (default: the shipped"
      + " ${DEFAULT-VALUE}).")
  String model = DEFAULTS.model().location();

  @Mixin
  RunnerOptions runner;

  @Override
  public java.util.Map<String, String> renamedOptions() {
    return java.util.Map.of("roiVoxels", "--voxels");
  }

  @Override
  public Integer call() {
    Djl.configure(null);
    long t0 = System.nanoTime();
    DemoSettings s = new DemoSettings(out, seed, subjects, images, voxels, imageSize, ModelRef.of(model));
    DemoStudy.Summary r = DemoStudy.run(runner.build(), s, Progress.lines("clipmsm demo"));
    System.out.printf("demo: Fig. 6, r across each subject's voxels with the fLoc ground truth, mean over %d"
        + " subjects; t and p: paired t-test across subjects (CLIP-MSM vs CLIP-Dissect)%n", r.subjects());
    System.out.println("  regime    label     CLIP-MSM  CLIP-Dissect      t        p   one-hot of the planted argmax");
    for (DemoStudy.Row row : r.rows()) {
      System.out.printf("  %-8s  %-8s  %8.3f  %12.3f  %6.2f  %7.4f  %29.3f%n", row.regime(), row.label(),
          row.meanRMsm(), row.meanROneHot(), row.t(), row.p(), row.meanCeiling());
    }
    System.out.printf("demo: %.1f s; table %s, per subject %s; reports %s%n", (System.nanoTime() - t0) / 1e9,
        out.resolve(DemoStudy.TABLE), out.resolve(DemoStudy.SUBJECTS), r.reports().values());
    return 0;
  }
}
