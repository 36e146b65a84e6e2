package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.pipelines.SynthJob;
import org.clipmsm.synth.BrodenSynth;
import org.clipmsm.synth.NodSynth;
import org.clipmsm.synth.NsdSynth;
import org.clipmsm.synth.TuningRegime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes a synthetic NSD or NOD subject, or a Broden probe set, file for file as the dataset.",
        "A subject's planted truth goes to truth/; a Broden set's masks are the very shapes drawn. Options left out",
        "take each dataset's small default."})
final class SynthCommand implements Callable<Integer>, Flags.Renamed {
  /** The side of a synthetic subject's stimuli unless given. */
  private static final int SUBJECT_IMAGE_SIZE = 64;

  @Parameters(index = "0", paramLabel = "DATASET", description = "nsd, nod or broden")
  String dataset;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset root to write.")
  Path out;

  @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--subject", description = "Subject: NSD 1..8, NOD 1..30 (default ${DEFAULT-VALUE}).")
  int subject = 1;

  @Option(names = "--subjects", split = ",", paramLabel = "N,N,...", description = "Instead of --subject: several"
      + " subjects under one root, sharing the stimuli and the design, each with ROIs, tuning and noise of its own.")
  List<Integer> subjects;

  @Option(names = "--regime", paramLabel = "R", description = "NSD, NOD: the planted tuning, cortex (default:"
      + " overlapping ROIs, mixed and weak selectivity) or dominant (each voxel dominated by its ROI's category;"
      + " docs/datasets.md section 5).")
  String regime = "cortex";

  @Option(names = "--images", description = "NSD: images, a multiple of 250 up to 10,000 (default 250). NOD: ImageNet"
      + " images per run (NOD: 100; default 25). Broden: probe images (default 100).")
  Integer images;

  @Option(names = "--voxels", description = "ROI voxels (NSD, default 200) or ROI grayordinates (NOD, default 80).")
  Integer voxels;

  @Option(names = "--sessions", description = "NSD: sessions of 750 trials written; fewer than images x 3 / 750 makes"
      + " the subject ragged. NOD: ImageNet sessions (NOD sub-01..09: 4). Default ${DEFAULT-VALUE}.")
  int sessions = 1;

  @Option(names = "--grid", split = ",", paramLabel = "X,Y,Z", description = "NSD volume grid (NSD subj01: 81,104,83;"
      + " default 12,14,10).")
  int[] grid = {12, 14, 10};

  @Option(names = "--betas", description = "NSD: betas as hdf5 (betas_sessionNN.hdf5) or nifti (betas_sessionNN.nii.gz;"
      + " the whole session is built in memory). Default ${DEFAULT-VALUE}.")
  String betas = "hdf5";

  @Option(names = "--runs", description = "NOD: ImageNet runs per session (NOD: 10; default ${DEFAULT-VALUE}).")
  int runs = 2;

  @Option(names = "--coco-images", description = "NOD: COCO images (NOD: 120; default ${DEFAULT-VALUE}).")
  int cocoImages = 20;

  @Option(names = "--coco-runs", description = "NOD: COCO runs, each showing every COCO image (default 2 for"
      + " subjects 1..9, 0 for 10..30 as in NOD).")
  Integer cocoRuns;

  @Option(names = "--grayordinates", description = "NOD: cortical grayordinates (fsLR 32k: 59412; default"
      + " ${DEFAULT-VALUE}).")
  int grayordinates = 600;

  @Option(names = "--image-size", description = "Image side in pixels (NSD: 425; default 64; Broden 224).")
  Integer imageSize;

  @Option(names = "--segmentation-size", description = "Broden: segmentation side in pixels (broden1_224: 112;"
      + " default ${DEFAULT-VALUE}).")
  int segmentationSize = BrodenSynth.Spec.DEFAULT_SEGMENTATION_SIZE;

  @Override
  public Map<String, String> renamedOptions() {
    return Map.of("roiVoxels", "--voxels", "roiGrayordinates", "--voxels", "runsPerSession", "--runs",
        "imagesPerRun", "--images");
  }

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    int side = imageSize != null ? imageSize : dataset.equals("broden") ? BrodenSynth.Spec.DEFAULT_IMAGE_SIZE
        : SUBJECT_IMAGE_SIZE;
    switch (dataset) {
      case "nsd" -> {
        if (grid.length != 3) {
          throw new InvalidInputException("--grid: expected X,Y,Z, got " + grid.length + " numbers");
        }
        int n = images != null ? images : 250;
        int v = voxels != null ? voxels : 200;
        if (!betas.equals("hdf5") && !betas.equals("nifti")) {
          throw new InvalidInputException("--betas: expected hdf5 or nifti, got " + betas);
        }
        NsdSynth.Spec spec = new NsdSynth.Spec(seed, subject, n, sessions, v, grid, side, betas.equals("nifti"))
            .withRegime(regime());
        if (subjects != null) {
          SynthJob.nsd(spec, subjects, out);
        } else {
          SynthJob.nsd(spec, out);
        }
        System.out.printf("synth nsd: subject %s, %d images, %d sessions, %d ROI voxels on %d,%d,%d in %.1f s;"
            + " wrote %s%n", subjects != null ? subjects : subject, n, sessions, v, grid[0], grid[1], grid[2], (System.nanoTime() - t0) / 1e9, out);
      }
      case "nod" -> {
        int perRun = images != null ? images : 25;
        int v = voxels != null ? voxels : 80;
        int coco = cocoRuns != null ? cocoRuns : subject <= 9 ? 2 : 0;
        NodSynth.Spec spec = new NodSynth.Spec(seed, subject, sessions, runs, perRun, cocoImages, coco, v,
            grayordinates, side).withRegime(regime());
        if (subjects != null) {
          SynthJob.nod(spec, subjects, out);
        } else {
          SynthJob.nod(spec, out);
        }
        System.out.printf("synth nod: subject %s, %d sessions x %d runs x %d ImageNet images, %d COCO images x %d"
            + " runs, %d of %d grayordinates in the fLoc ROIs, in %.1f s; wrote %s%n", subjects != null ? subjects : subject,
            sessions, runs, perRun,
            coco > 0 ? cocoImages : 0, coco, v, grayordinates, (System.nanoTime() - t0) / 1e9, out);
      }
      case "broden" -> {
        int n = images != null ? images : BrodenSynth.Spec.DEFAULT_IMAGES;
        SynthJob.broden(new BrodenSynth.Spec(seed, n, side, segmentationSize), out);
        System.out.printf("synth broden: %d probe images of %d px, segmentations of %d px, in %.1f s; wrote %s%n", n,
            side, segmentationSize, (System.nanoTime() - t0) / 1e9, out);
      }
      default -> throw new InvalidInputException("expected the dataset nsd, nod or broden, got " + dataset);
    }
    return 0;
  }

  private TuningRegime regime() {
    return switch (regime) {
      case "cortex" -> TuningRegime.CORTEX;
      case "dominant" -> TuningRegime.DOMINANT;
      default -> throw new InvalidInputException("--regime: expected cortex or dominant, got " + regime);
    };
  }
}
