package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.pipelines.PrepareNodOptions;
import org.clipmsm.pipelines.PrepareNodPipeline;
import org.clipmsm.pipelines.PrepareNsdOptions;
import org.clipmsm.pipelines.PrepareNsdPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Responses of a dataset subject as arrays: responses.npy (images x voxels, float32),",
        "image_keys.csv, voxels.csv, ncsnr.npy (NSD), floc_<X>.npy. Datasets: nsd, nod."})
final class PrepareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET", description = "nsd or nod")
  String dataset;

  @Option(names = "--nsd-root", paramLabel = "DIR", description = "NSD root (nsddata/, nsddata_betas/, ...).")
  String nsdRoot;

  @Option(names = "--nod-root", paramLabel = "DIR", description = "NOD root (derivatives/ciftify/, sub-XX/ events).")
  String nodRoot;

  @Option(names = "--subject", defaultValue = "1", description = "Subject: NSD 1..8, NOD 1..30 (default"
      + " ${DEFAULT-VALUE}).")
  int subject;

  @Option(names = "--rois", defaultValue = "floc-faces,floc-bodies,floc-places,floc-words", description = "NSD: ROI"
      + " files under roi/, or paths to masks (e.g. a food region), comma-separated (default: the four fLoc ROIs)."
      + " NOD always takes the union of its four fLoc dlabel ROIs.")
  String rois;

  @Option(names = "--zscore", defaultValue = "session", description = "NSD: session (default) or run. NOD: per run"
      + " (the paper's).")
  String zscore;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(names = "--voxels-per-block", defaultValue = "16384", description = "Voxels per block (default"
      + " ${DEFAULT-VALUE}: every block opens every session file, and opening an NSD HDF5 file loads its chunk index,"
      + " so few large blocks are fastest; a block of 10,000 voxels x 40 sessions holds 2.4 GB).")
  int voxelsPerBlock;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    return switch (dataset) {
      case "nsd" -> nsd();
      case "nod" -> nod();
      default -> throw new InvalidInputException("prepare: expected nsd or nod, got " + dataset);
    };
  }

  private int nsd() {
    if (nsdRoot == null) {
      throw new InvalidInputException("prepare nsd: --nsd-root is required");
    }
    PrepareNsdOptions o = runner.build(PrepareNsdOptions.class);
    o.setNsdRoot(nsdRoot);
    o.setSubject(subject);
    o.setRois(rois);
    o.setZscore(zscore);
    o.setOut(out);
    o.setVoxelsPerBlock(voxelsPerBlock);
    long t0 = System.nanoTime();
    PrepareNsdPipeline.Summary s = PrepareNsdPipeline.run(o);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("prepare nsd: subject %d, %d sessions, %d images x %d voxels in %.1f s (%.1f MB/s of beta"
        + " files); wrote %s%n", subject, s.sessions(), s.images(), s.voxels(), secs, s.betaBytes() / secs / 1e6, out);
    return 0;
  }

  private int nod() {
    if (nodRoot == null) {
      throw new InvalidInputException("prepare nod: --nod-root is required");
    }
    PrepareNodOptions o = runner.build(PrepareNodOptions.class);
    o.setNodRoot(nodRoot);
    o.setSubject(subject);
    o.setOut(out);
    o.setVoxelsPerBlock(voxelsPerBlock);
    long t0 = System.nanoTime();
    PrepareNodPipeline.Summary s = PrepareNodPipeline.run(o);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("prepare nod: subject %d, %d runs, %d images x %d grayordinates in %.1f s (%.1f MB/s of beta"
        + " files); wrote %s%n", subject, s.runs(), s.images(), s.voxels(), secs, s.betaBytes() / secs / 1e6, out);
    return 0;
  }
}
