package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.Progress;
import org.clipmsm.nsd.ResponsePreprocessing;
import org.clipmsm.pipelines.PrepareNodPipeline;
import org.clipmsm.pipelines.PrepareNodSettings;
import org.clipmsm.pipelines.PrepareNsdPipeline;
import org.clipmsm.pipelines.PrepareNsdSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reads a dataset subject's responses (NSD or NOD, as they lie on disk) into arrays.",
        "Writes in DIR: responses.npy (images x voxels, float32), image_keys.csv, voxels.csv, ncsnr.npy (NSD, where",
        "the dataset has it), floc_<X>.npy."})
final class PrepareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET", description = "nsd or nod")
  String dataset;

  @Option(names = "--nsd-root", paramLabel = "DIR", description = "NSD root (nsddata/, nsddata_betas/, ...).")
  Path nsdRoot;

  @Option(names = "--nod-root", paramLabel = "DIR", description = "NOD root (derivatives/ciftify/, sub-XX/ events).")
  Path nodRoot;

  @Option(names = "--subject", description = "Subject: NSD 1..8, NOD 1..30 (default ${DEFAULT-VALUE}).")
  int subject = PrepareNsdSettings.DEFAULT_SUBJECT;

  @Option(names = "--rois", split = ",", paramLabel = "ROI[,ROI...]", description = "NSD: ROI files under roi/, or"
      + " paths to masks (e.g. a food region), comma-separated (default: the four fLoc ROIs). NOD always takes the"
      + " union of its four fLoc dlabel ROIs.")
  List<String> rois;

  @Option(names = "--zscore", description = "NSD: session or run (default ${DEFAULT-VALUE}). NOD: per run (the"
      + " paper's).")
  String zscore = PrepareNsdSettings.DEFAULT_ZSCORE.name().toLowerCase(java.util.Locale.ROOT);

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--voxels-per-block", description = "Voxels per block (default ${DEFAULT-VALUE}: every block opens"
      + " every session file, and opening an NSD HDF5 file loads its chunk index, so few large blocks are fastest; a"
      + " block of 16,384 voxels x 40 sessions holds 2.4 GB).")
  int voxelsPerBlock = PrepareNsdSettings.DEFAULT_VOXELS_PER_BLOCK;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    return switch (dataset) {
      case "nsd" -> nsd();
      case "nod" -> nod();
      default -> throw new InvalidInputException("expected the dataset nsd or nod, got " + dataset);
    };
  }

  private int nsd() {
    if (nsdRoot == null) {
      throw new InvalidInputException("--nsd-root is required");
    }
    ResponsePreprocessing.ZScore mode = switch (zscore) {
      case "session" -> ResponsePreprocessing.ZScore.SESSION;
      case "run" -> ResponsePreprocessing.ZScore.RUN;
      default -> throw new InvalidInputException("--zscore: expected session or run, got " + zscore);
    };
    List<String> names = (rois == null ? PrepareNsdSettings.FLOC_ROIS : rois).stream().map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    PrepareNsdSettings s = PrepareNsdSettings.of(nsdRoot, out).withSubject(subject).withRois(names).withZScore(mode)
        .withVoxelsPerBlock(voxelsPerBlock);
    long t0 = System.nanoTime();
    PrepareNsdPipeline.Summary r = PrepareNsdPipeline.run(runner.build(), s, Progress.lines("clipmsm"));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("prepare nsd: subject %d, %d sessions, %d images x %d voxels in %.1f s (%.1f MB/s of beta"
        + " files); wrote %s%n", subject, r.sessions(), r.images(), r.voxels(), secs, r.betaBytes() / secs / 1e6, out);
    return 0;
  }

  private int nod() {
    if (nodRoot == null) {
      throw new InvalidInputException("--nod-root is required");
    }
    PrepareNodSettings s = PrepareNodSettings.of(nodRoot, subject, out).withVoxelsPerBlock(voxelsPerBlock);
    long t0 = System.nanoTime();
    PrepareNodPipeline.Summary r = PrepareNodPipeline.run(runner.build(), s, Progress.lines("clipmsm"));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("prepare nod: subject %d, %d runs, %d images x %d grayordinates in %.1f s (%.1f MB/s of beta"
        + " files); wrote %s%n", subject, r.runs(), r.images(), r.voxels(), secs, r.betaBytes() / secs / 1e6, out);
    return 0;
  }
}
