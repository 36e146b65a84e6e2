package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipmsm.beam.Progress;
import org.clipmsm.embed.Djl;
import org.clipmsm.pipelines.study.Study;
import org.clipmsm.pipelines.study.StudyDataset;
import org.clipmsm.pipelines.study.StudySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The one-command studies: {@code nsd} and {@code nod}. */
final class StudyCommands {
  private StudyCommands() {}

  /** The settings' parameters that the studies' options name otherwise. */
  static java.util.Map<String, String> renamed(String rootFlag) {
    return java.util.Map.of("root", rootFlag, "learningPieces", "--learning-curve");
  }

  /** Runs a study and prints one line per subject and where the report is. */
  static int run(RunnerOptions runner, StudyOptions o, StudySettings s) {
    Djl.configure(o.djlCache);
    long t0 = System.nanoTime();
    String name = s.dataset().name().toLowerCase(java.util.Locale.ROOT);
    Study.Summary r = Study.run(runner.build(), s, Progress.lines("clipmsm " + name));
    for (Study.SubjectSummary sub : r.subjects()) {
      System.out.printf("%s: %s: %d images x %d voxels, median test R^2 %.4f, %d significant, most voxels labelled"
          + " %s%n", name, sub.subject(), sub.images(), sub.voxels(), sub.medianR2(), sub.significant(),
          sub.topLabel());
    }
    System.out.printf("%s: %d subject(s) in %.1f s; evaluation in %s, report %s%n", name, r.subjects().size(),
        (System.nanoTime() - t0) / 1e9, r.out().resolve("evaluation"), r.report());
    return 0;
  }

  @Command(name = "nsd", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Runs the whole study on NSD subjects, from the dataset's files to the evaluation and report.",
          "Per subject: prepare, image and label embeddings, encoding models (significance, noise ceiling), the",
          "dissection per ROI and their union, Network Dissection with --broden; then evaluate and report. The",
          "whole study is one Beam pipeline over all subjects."})
  static final class Nsd implements Callable<Integer>, Flags.Renamed {
    @Override
    public java.util.Map<String, String> renamedOptions() {
      return renamed("--nsd-root");
    }

    @Option(names = "--nsd-root", required = true, paramLabel = "DIR", description = "NSD root (nsddata/,"
        + " nsddata_betas/, nsddata_stimuli/).")
    Path root;

    @Option(names = "--rois", split = ",", paramLabel = "ROI[,ROI...]", description = "ROI files under roi/ or"
        + " mask paths, {subject} standing for subjNN (default: the four fLoc ROIs); each becomes a voxel set of the"
        + " dissection.")
    List<String> rois;

    @Mixin
    StudyOptions study;

    @Mixin
    RunnerOptions runner;

    @Override
    public Integer call() {
      StudySettings s = study.settings(StudyDataset.NSD, root);
      return run(runner, study, rois == null ? s : s.withRois(rois));
    }
  }

  @Command(name = "nod", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Runs the whole study on NOD subjects, from the dataset's files to the evaluation and report.",
          "Per subject: prepare, image and label embeddings, encoding models (significance), the dissection per",
          "fLoc ROI and their union, Network Dissection with --broden; then evaluate and report. The whole study is",
          "one Beam pipeline over all subjects."})
  static final class Nod implements Callable<Integer>, Flags.Renamed {
    @Override
    public java.util.Map<String, String> renamedOptions() {
      return renamed("--nod-root");
    }

    @Option(names = "--nod-root", required = true, paramLabel = "DIR", description = "NOD root (derivatives/ciftify/,"
        + " sub-XX/ events, stimuli/).")
    Path root;

    @Mixin
    StudyOptions study;

    @Mixin
    RunnerOptions runner;

    @Override
    public Integer call() {
      return run(runner, study, study.settings(StudyDataset.NOD, root));
    }
  }
}
