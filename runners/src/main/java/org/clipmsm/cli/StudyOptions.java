package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.List;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.pipelines.study.StudyDataset;
import org.clipmsm.pipelines.study.StudySettings;
import picocli.CommandLine.Option;

/** The options that the nsd and nod studies share. */
final class StudyOptions {
  @Option(names = "--subjects", required = true, split = ",", paramLabel = "N,N,...", description = "Subjects,"
      + " in this order (NSD 1..8, NOD 1..30).")
  List<Integer> subjects;

  @Option(names = "--labels", required = true, paramLabel = "FILE", description = "The dissection's labels, one a"
      + " line.")
  Path labels;

  @Option(names = "--model", required = true, paramLabel = "DIR|tiny-clip", description = "The CLIP model: embeds"
      + " images and labels; its encoding models are dissected.")
  String model;

  @Option(names = "--features-model", split = ",", paramLabel = "DIR[,DIR...]", description = "Further image"
      + " encoders (e.g. an ImageNet ResNet50 export) whose encoding models are compared with CLIP's (Fig. 2).")
  List<String> featureModels = List.of();

  @Option(names = "--broden", paramLabel = "DIR", description = "A Broden probe set: adds the Network Dissection"
      + " baseline (Fig. 3).")
  Path broden;

  @Option(names = "--learning-curve", split = ",", paramLabel = "N[,N...]", description = "Training pieces (of 40;"
      + " 5..34) of the learning curve, e.g. 5,10,20,34; default none.")
  List<Integer> learningCurve = List.of();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The study's directory.")
  Path out;

  @Option(names = "--djl-cache", paramLabel = "DIR", description = "Where DJL unpacks its native library on first"
      + " use (default: $DJL_CACHE_DIR, else ~/.djl.ai).")
  String djlCache;

  @Option(names = "--voxels-per-block", paramLabel = "N", description = "Voxels per block of the fits and"
      + " dissections (default ${DEFAULT-VALUE}).")
  int voxelsPerBlock = org.clipmsm.beam.ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK;

  StudySettings settings(StudyDataset dataset, Path root) {
    return StudySettings.of(dataset, root, subjects, labels, ModelRef.of(model), out)
        .withFeatureModels(featureModels.stream().map(ModelRef::of).toList()).withBroden(broden)
        .withLearningPieces(learningCurve).withVoxelsPerBlock(voxelsPerBlock);
  }
}
