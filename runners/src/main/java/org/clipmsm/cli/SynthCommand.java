package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.synth.NodSynth;
import org.clipmsm.synth.NsdSynth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"A synthetic subject laid out exactly like the real dataset, with its planted truth in truth/.",
        "Datasets: nsd, nod. Options left out take each dataset's small default."})
final class SynthCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET", description = "nsd or nod")
  String dataset;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset root to write.")
  String out;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--subject", defaultValue = "1", description = "Subject: NSD 1..8, NOD 1..30 (default"
      + " ${DEFAULT-VALUE}).")
  int subject;

  @Option(names = "--images", description = "NSD: images, a multiple of 250 up to 10,000 (default 250). NOD: ImageNet"
      + " images per run (NOD: 100; default 25).")
  Integer images;

  @Option(names = "--voxels", description = "ROI voxels (NSD, default 200) or ROI grayordinates (NOD, default 80).")
  Integer voxels;

  @Option(names = "--sessions", defaultValue = "1", description = "NSD: sessions of 750 trials written; fewer than"
      + " images x 3 / 750 makes the subject ragged. NOD: ImageNet sessions (NOD sub-01..09: 4). Default"
      + " ${DEFAULT-VALUE}.")
  int sessions;

  @Option(names = "--grid", defaultValue = "12,14,10", paramLabel = "X,Y,Z", description = "NSD volume grid (NSD"
      + " subj01: 81,104,83; default ${DEFAULT-VALUE}).")
  String grid;

  @Option(names = "--betas", defaultValue = "hdf5", description = "NSD: betas as hdf5 (betas_sessionNN.hdf5) or nifti"
      + " (betas_sessionNN.nii.gz; the whole session is built in memory). Default ${DEFAULT-VALUE}.")
  String betas;

  @Option(names = "--runs", defaultValue = "2", description = "NOD: ImageNet runs per session (NOD: 10; default"
      + " ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--coco-images", defaultValue = "20", description = "NOD: COCO images (NOD: 120; default"
      + " ${DEFAULT-VALUE}).")
  int cocoImages;

  @Option(names = "--coco-runs", description = "NOD: COCO runs, each showing every COCO image (default 2 for"
      + " subjects 1..9, 0 for 10..30 as in NOD).")
  Integer cocoRuns;

  @Option(names = "--grayordinates", defaultValue = "600", description = "NOD: cortical grayordinates (fsLR 32k:"
      + " 59412; default ${DEFAULT-VALUE}).")
  int grayordinates;

  @Option(names = "--image-size", defaultValue = "64", description = "Stimulus side in pixels (NSD: 425; default"
      + " ${DEFAULT-VALUE}).")
  int imageSize;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    switch (dataset) {
      case "nsd" -> {
        int[] g = parseGrid();
        int n = images != null ? images : 250;
        int v = voxels != null ? voxels : 200;
        if (!betas.equals("hdf5") && !betas.equals("nifti")) {
          throw new InvalidInputException("--betas: expected hdf5 or nifti, got " + betas);
        }
        NsdSynth.write(Path.of(out), new NsdSynth.Spec(seed, subject, n, sessions, v, g, imageSize,
            betas.equals("nifti")));
        System.out.printf("synth nsd: subject %d, %d images, %d sessions, %d ROI voxels on %s in %.1f s; wrote %s%n",
            subject, n, sessions, v, grid, (System.nanoTime() - t0) / 1e9, out);
      }
      case "nod" -> {
        int perRun = images != null ? images : 25;
        int v = voxels != null ? voxels : 80;
        int coco = cocoRuns != null ? cocoRuns : subject <= 9 ? 2 : 0;
        NodSynth.write(Path.of(out), new NodSynth.Spec(seed, subject, sessions, runs, perRun, cocoImages, coco, v,
            grayordinates, imageSize));
        System.out.printf("synth nod: subject %d, %d sessions x %d runs x %d ImageNet images, %d COCO images x %d"
            + " runs, %d of %d grayordinates in the fLoc ROIs, in %.1f s; wrote %s%n", subject, sessions, runs, perRun,
            coco > 0 ? cocoImages : 0, coco, v, grayordinates, (System.nanoTime() - t0) / 1e9, out);
      }
      default -> throw new InvalidInputException("synth: expected nsd or nod, got " + dataset);
    }
    return 0;
  }

  private int[] parseGrid() {
    int[] g;
    try {
      g = Arrays.stream(grid.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    } catch (NumberFormatException e) {
      throw new InvalidInputException("--grid: expected X,Y,Z, got " + grid);
    }
    if (g.length != 3) {
      throw new InvalidInputException("--grid: expected X,Y,Z, got " + grid);
    }
    return g;
  }
}
