package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.synth.NsdSynth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"A synthetic subject laid out exactly like the real dataset, with its planted truth in truth/.",
        "Datasets: nsd (NOD: not yet)."})
final class SynthCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET", description = "nsd")
  String dataset;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset root to write.")
  String out;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--subject", defaultValue = "1", description = "Subject number 1..8 (default ${DEFAULT-VALUE}).")
  int subject;

  @Option(names = "--images", defaultValue = "250", description = "Images, a multiple of 250 up to 10,000 (default"
      + " ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--voxels", defaultValue = "200", description = "ROI voxels (default ${DEFAULT-VALUE}).")
  int voxels;

  @Option(names = "--sessions", defaultValue = "1", description = "Sessions of 750 trials written; fewer than"
      + " images x 3 / 750 makes the subject ragged (default ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--grid", defaultValue = "12,14,10", paramLabel = "X,Y,Z", description = "Volume grid (NSD"
      + " subj01: 81,104,83; default ${DEFAULT-VALUE}).")
  String grid;

  @Option(names = "--image-size", defaultValue = "64", description = "Stimulus side in pixels (NSD: 425; default"
      + " ${DEFAULT-VALUE}).")
  int imageSize;

  @Override
  public Integer call() {
    if (!dataset.equals("nsd")) {
      throw new InvalidInputException("synth: expected nsd, got " + dataset + " (NOD synthesis is not built yet)");
    }
    int[] g;
    try {
      g = Arrays.stream(grid.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    } catch (NumberFormatException e) {
      throw new InvalidInputException("--grid: expected X,Y,Z, got " + grid);
    }
    if (g.length != 3) {
      throw new InvalidInputException("--grid: expected X,Y,Z, got " + grid);
    }
    long t0 = System.nanoTime();
    NsdSynth.write(Path.of(out), new NsdSynth.Spec(seed, subject, images, sessions, voxels, g, imageSize));
    System.out.printf("synth nsd: subject %d, %d images, %d sessions, %d ROI voxels on %s in %.1f s; wrote %s%n",
        subject, images, sessions, voxels, grid, (System.nanoTime() - t0) / 1e9, out);
    return 0;
  }
}
