package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.clipmsm.pipelines.DissectOptions;
import org.clipmsm.pipelines.DissectPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dissect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"CLIP dissection of encoding-model voxels (CLIP-MSM): each voxel's scores over every label,",
        "its multi-semantic map (softmax over labels) and its single label (argmax). Arrays are .npy, rows = images.",
        "Writes in DIR (or DIR/<set>/ with --voxel-sets): scores.npy (voxels x labels, float64), msm.npy,",
        "argmax.npy (int32), semantic_map.avro, labels_per_voxel.csv; and top_label_counts.csv, probe_images.csv."})
final class DissectCommand implements Callable<Integer> {
  @Option(names = "--activations", paramLabel = "Q.npy", description = "Activations, images x voxels.")
  String activations;

  @Option(names = "--embeddings", paramLabel = "I.npy", description = "Image embeddings, images x features (with"
      + " --weights: Q = I W).")
  String embeddings;

  @Option(names = "--weights", paramLabel = "W.npy", description = "Encoding weights, features x voxels (fit's"
      + " weights.npy).")
  String weights;

  @Option(names = "--similarities", required = true, paramLabel = "P.npy",
      description = "Image-label cosine similarities, images x labels.")
  String similarities;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(names = "--method", defaultValue = "softwpmi", paramLabel = "M",
      description = "softwpmi (default), wpmi, cos, cos3 or rank-reorder.")
  String method;

  @Option(names = "--top-k", paramLabel = "K", description = "Top images per voxel (softwpmi 100, wpmi 28).")
  Integer topK;

  @Option(names = "--a", paramLabel = "A", description = "P' = softmax(a P) (softwpmi 1 as CLIP-MSM; CLIP-Dissect"
      + " uses 10; wpmi 2).")
  Double a;

  @Option(names = "--lambda", paramLabel = "L", description = "Weight of log p(d) (softwpmi 1, wpmi 0.6).")
  Double lambda;

  @Option(names = "--p-start", paramLabel = "P", description = "SoftWPMI weight of the top image (0.998).")
  Double pStart;

  @Option(names = "--p-end", paramLabel = "P", description = "SoftWPMI weight towards rank k (0.97).")
  Double pEnd;

  @Option(names = "--temperature", defaultValue = "1", paramLabel = "T",
      description = "Softmax temperature of msm (default ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--labels", paramLabel = "labels.txt", description = "Label names, one per line, in the column"
      + " order of P.")
  String labels;

  @Option(names = "--voxel-sets", paramLabel = "sets.csv", description = "CSV 'set,voxel': one dissection per set"
      + " plus their union; without it all voxels form one run.")
  String voxelSets;

  @Option(names = "--voxels-per-block", defaultValue = "1024", paramLabel = "N",
      description = "Voxels per block, the unit of parallel work (default ${DEFAULT-VALUE}); results do not depend"
          + " on it.")
  int voxelsPerBlock;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    DissectOptions o = runner.build(DissectOptions.class);
    o.setActivations(activations);
    o.setEmbeddings(embeddings);
    o.setWeights(weights);
    o.setSimilarities(similarities);
    o.setOut(out);
    o.setMethod(method);
    o.setTopK(topK);
    o.setA(a);
    o.setLambda(lambda);
    o.setPStart(pStart);
    o.setPEnd(pEnd);
    o.setTemperature(temperature);
    o.setLabels(labels);
    o.setVoxelSets(voxelSets);
    o.setVoxelsPerBlock(voxelsPerBlock);
    long t0 = System.nanoTime();
    DissectPipeline.Summary s = DissectPipeline.run(o);
    System.out.printf("dissect: %d images x %d labels, %d voxels, %d voxel set(s) in %.1f s; wrote %s%n", s.images(),
        s.labels(), s.voxels(), s.sets().size(), (System.nanoTime() - t0) / 1e9, out);
    for (int i = 0; i < s.sets().size(); i++) {
      System.out.printf("dissect: set %s: most voxels labelled %s%n", s.sets().get(i), s.winners().get(i));
    }
    return 0;
  }
}
