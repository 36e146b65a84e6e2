package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.Progress;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.SimilarityFunction;
import org.clipmsm.io.Npy;
import org.clipmsm.pipelines.DissectOutputs;
import org.clipmsm.pipelines.DissectPipeline;
import org.clipmsm.pipelines.DissectSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dissect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Dissects voxels with CLIP into multi-semantic maps (CLIP-MSM) and single labels.",
        "Each voxel gets its scores over every label, its multi-semantic map (softmax over labels) and its single",
        "label (argmax). Writes in DIR (or DIR/<set>/ with --voxel-sets): scores.npy (voxels x labels, float64 or",
        "--scores-dtype float32), msm.npy, argmax.npy (int32), semantic_map.avro (unless --no-avro),",
        "labels_per_voxel.csv; and top_label_counts.csv,",
        "probe_images.csv."})
final class DissectCommand implements Callable<Integer> {
  @Option(names = "--activations", paramLabel = "Q.npy", description = "Activations, images x voxels.")
  Path activations;

  @Option(names = "--embeddings", paramLabel = "I.npy", description = "Image embeddings, images x features (with"
      + " --weights: Q = I W).")
  Path embeddings;

  @Option(names = "--weights", paramLabel = "W.npy", description = "Encoding weights, features x voxels (fit's"
      + " weights.npy).")
  Path weights;

  @Option(names = "--similarities", required = true, paramLabel = "P.npy",
      description = "Image-label cosine similarities, images x labels.")
  Path similarities;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--method", paramLabel = "M", description = "softwpmi (default), wpmi, cos, cos3 or rank-reorder.")
  String method = SimilarityFunction.SOFT_WPMI.cliName();

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

  @Option(names = "--temperature", paramLabel = "T", description = "Softmax temperature of msm (default"
      + " ${DEFAULT-VALUE}).")
  double temperature = DissectSettings.DEFAULT_TEMPERATURE;

  @Option(names = "--labels", paramLabel = "labels.txt", description = "Label names, one per line, in the column"
      + " order of P.")
  Path labels;

  @Option(names = "--voxel-sets", paramLabel = "sets.csv", description = "CSV 'set,voxel': one dissection per set"
      + " plus their union; without it all voxels form one run.")
  Path voxelSets;

  @Option(names = "--scores-dtype", paramLabel = "T", description = "float64 (default) or float32: the dtype of"
      + " scores.npy and msm.npy (float32 halves them for large label sets).")
  String scoresDtype = "float64";

  @Option(names = "--no-avro", description = "Leave out semantic_map.avro (one record per voxel with every label's"
      + " weight; 6 GB at 20,000 voxels x 20,000 labels).")
  boolean noAvro;

  @Mixin
  BlockOptions blocks;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    if (activations != null ? embeddings != null || weights != null : embeddings == null || weights == null) {
      throw new InvalidInputException("give --activations Q.npy, or --embeddings I.npy with --weights W.npy");
    }
    DissectSettings s = activations != null ? DissectSettings.fromActivations(similarities, activations, out)
        : DissectSettings.fromEmbeddings(similarities, embeddings, weights, out);
    s = s.withMethod(dissection()).withTemperature(temperature).withLabels(labels).withVoxelSets(voxelSets)
        .withVoxelsPerBlock(blocks.voxelsPerBlock).withOutputs(new DissectOutputs(dtype(), !noAvro));
    long t0 = System.nanoTime();
    DissectPipeline.Summary r = DissectPipeline.run(runner.build(), s, Progress.lines("clipmsm"));
    System.out.printf("dissect: %d images x %d labels, %d voxels, %d voxel set(s) in %.1f s; wrote %s%n", r.images(),
        r.labels(), r.voxels(), r.sets().size(), (System.nanoTime() - t0) / 1e9, out);
    for (int i = 0; i < r.sets().size(); i++) {
      System.out.printf("dissect: set %s: most voxels labelled %s%n", r.sets().get(i), r.winners().get(i));
    }
    return 0;
  }

  private Npy.DType dtype() {
    return switch (scoresDtype) {
      case "float64" -> Npy.DType.FLOAT64;
      case "float32" -> Npy.DType.FLOAT32;
      default -> throw new InvalidInputException("--scores-dtype: expected float64 or float32, got " + scoresDtype);
    };
  }

  /** The method with the constants given; a constant the method does not use is an error, not silently ignored. */
  private Dissection dissection() {
    SimilarityFunction f = SimilarityFunction.parse(method);
    if (!f.usesTopK() && (topK != null || a != null || lambda != null)) {
      throw new InvalidInputException((topK != null ? "--top-k" : a != null ? "--a" : "--lambda")
          + ": not used by --method " + f.cliName());
    }
    if (f != SimilarityFunction.SOFT_WPMI && (pStart != null || pEnd != null)) {
      throw new InvalidInputException((pStart != null ? "--p-start" : "--p-end") + ": only used by --method"
          + " softwpmi");
    }
    Dissection d = Dissection.defaults(f);
    if (topK != null) {
      d = d.withTopK(topK);
    }
    if (a != null) {
      d = d.withA(a);
    }
    if (lambda != null) {
      d = d.withLambda(lambda);
    }
    if (pStart != null) {
      d = d.withPStart(pStart);
    }
    if (pEnd != null) {
      d = d.withPEnd(pEnd);
    }
    return d;
  }
}
