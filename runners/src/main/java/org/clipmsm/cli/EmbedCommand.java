package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import org.clipmsm.InvalidInputException;
import org.clipmsm.embed.Djl;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.pipelines.EmbedPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Image embeddings of an image encoder: embeddings.npy (float32, rows follow keys.csv).",
        "Images that cannot be read are left out and listed in failures.csv (exit status 2)."})
final class EmbedCommand implements Callable<Integer> {
  @Option(names = "--images", paramLabel = "DIR|FILE.hdf5", description = "A folder of PNG/JPEG"
      + " images (recursive; key = relative path), an NSD nsd_stimuli.hdf5 (key = nsdId) or an NSD-layout root such"
      + " as a synthetic subject.")
  String images;

  @Option(names = "--model", paramLabel = "DIR|tiny-clip", description = "Model directory"
      + " (model.properties, image.pt and/or image.onnx, ...) or tiny-clip, the CLIP that ships with clipmsm.")
  String model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(names = "--dense", description = "Per-position maps (n, h, w, D) instead of pooled embeddings (n, D).")
  boolean dense;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass (default"
      + " ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--format", defaultValue = "auto", description = "auto (TorchScript when present, else ONNX),"
      + " torchscript or onnx.")
  String format;

  @Option(names = "--djl-cache", paramLabel = "DIR", description = "Where DJL unpacks the PyTorch native library on"
      + " first use (~430 MB; default: $DJL_CACHE_DIR, else ~/.djl.ai).")
  String djlCache;

  @Option(names = "--events", split = ",", paramLabel = "TSV[,TSV...]", description = "NOD: only the stimuli these"
      + " events.tsv files name, found under --images (NOD's stimuli folder), keyed by file name.")
  java.util.List<String> events = new java.util.ArrayList<>();

  @Option(names = "--features", paramLabel = "F.npy", description = "Instead of --images/--model: precomputed"
      + " features, (n, d) or (n, 1, d), joined by key with --keys (never by row order).")
  String features;

  @Option(names = "--keys", paramLabel = "K.csv", description = "With --features: CSV naming each row (column"
      + " --key-column, else key/nsdId/cocoId/stimulus/image).")
  String keys;

  @Option(names = "--key-column", paramLabel = "NAME", description = "The key column of --keys.")
  String keyColumn;

  @Option(names = "--order", paramLabel = "O.csv", description = "With --features: write the rows of these keys in"
      + " this order (e.g. image_keys.csv of prepare nsd); default: the order of --keys.")
  String order;

  @Option(names = "--order-column", paramLabel = "NAME", description = "The key column of --order.")
  String orderColumn;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    Djl.configure(djlCache);
    PipelineOptions o = runner.build(PipelineOptions.class);
    if (features != null) {
      if (keys == null || images != null || model != null) {
        throw new InvalidInputException("embed: --features takes --keys, and neither --images nor --model");
      }
      EmbedPipeline.Summary s = EmbedPipeline.runFeatures(o, new EmbedPipeline.FeatureSettings(features, keys,
          keyColumn, order, orderColumn, out));
      System.out.printf("embed: %d rows of %s joined by key, embeddings %s; wrote %s%n", s.embedded(), features,
          java.util.Arrays.toString(s.shape()), out);
      return 0;
    }
    if (images == null || model == null) {
      throw new InvalidInputException("embed: --images and --model are required (or --features with --keys)");
    }
    ModelRef ref = ModelRef.of(model).withFormat(ModelRef.Format.named(format));
    long t0 = System.nanoTime();
    EmbedPipeline.Summary s = EmbedPipeline.run(o, new EmbedPipeline.Settings(images, ref, out, dense, batchSize,
        events));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("embed: %d of %d images, embeddings %s, in %.1f s (%.1f images/s); wrote %s%n", s.embedded(),
        s.images(), java.util.Arrays.toString(s.shape()), secs, s.embedded() / secs, out);
    if (!s.failures().isEmpty()) {
      throw new InvalidInputException(s.failures().get(0) + " (" + s.failures().size() + " of " + s.images()
          + " images could not be read; they are listed in " + java.nio.file.Path.of(out, "failures.csv")
          + ", the other " + s.embedded() + " are embedded)");
    }
    return 0;
  }
}
