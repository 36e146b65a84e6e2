package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.beam.Progress;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.pipelines.DemoSettings;
import org.clipmsm.pipelines.DemoStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the whole method on a synthetic NSD subject with a planted answer and scores the maps.",
        "synth nsd -> prepare nsd -> embed (the shipped tiny CLIP) -> embed-text -> similarities -> fit",
        "(significance, noise ceiling) -> dissect -> map, each called in Java; then each label's CLIP-MSM map and",
        "CLIP-Dissect one-hot map against the planted tuning across voxels (the paper's Fig. 6), in",
        "DIR/comparison.csv."})
final class DemoCommand implements Callable<Integer>, Flags.Renamed {
  private static final DemoSettings DEFAULTS = DemoSettings.DEFAULTS;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out = DEFAULTS.out();

  @Option(names = "--seed", description = "Seed of the synthetic subject (default ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(names = "--images", description = "Images, a multiple of 250 (default ${DEFAULT-VALUE}; each shown 3"
      + " times).")
  int images = DEFAULTS.images();

  @Option(names = "--voxels", description = "ROI voxels (default ${DEFAULT-VALUE}).")
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
    DemoSettings s = new DemoSettings(out, seed, images, voxels, imageSize, ModelRef.of(model));
    DemoStudy.Summary r = DemoStudy.run(runner.build(), s, Progress.lines("clipmsm"));
    System.out.println("demo: r across " + r.voxels() + " voxels with the planted tuning (paper Fig. 6):");
    System.out.println("  label      CLIP-MSM  CLIP-Dissect one-hot");
    double meanMsm = 0;
    double meanOne = 0;
    int labels = r.labels().size();
    for (int d = 0; d < labels; d++) {
      System.out.printf("  %-9s  %8.3f  %8.3f%n", r.labels().get(d), r.rMsm()[d], r.rOneHot()[d]);
      meanMsm += r.rMsm()[d] / labels;
      meanOne += r.rOneHot()[d] / labels;
    }
    System.out.printf("  mean       %8.3f  %8.3f%n", meanMsm, meanOne);
    StringBuilder graded = new StringBuilder("demo: mean r of the CLIP-MSM maps at --temperature");
    for (int t = 0; t < DemoStudy.TEMPERATURES.length; t++) {
      graded.append(String.format(" %d: %.3f%s", (int) DemoStudy.TEMPERATURES[t], r.meanRAtTemperature()[t],
          t + 1 < DemoStudy.TEMPERATURES.length ? "," : ""));
    }
    System.out.println(graded + " (in comparison.csv)");
    System.out.printf("demo: median top-label weight of the CLIP-MSM maps %.3f (1 = the softmax is one-hot and"
        + " CLIP-MSM ties CLIP-Dissect; dissect --temperature grades it)%n", r.medianTopWeight());
    System.out.printf("demo: encoding model from %s embeddings: %d of %d voxels significant (BH q 0.05); mean 100 R^2"
        + " %.1f, mean noise ceiling %.1f; maps in %s%n", model, r.significant(), r.voxels(), r.meanR2Percent(),
        r.meanNoiseCeiling(), r.maps());
    return 0;
  }
}
