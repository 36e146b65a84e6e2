package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.Progress;
import org.clipmsm.embed.Djl;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.pipelines.EmbedFeaturesPipeline;
import org.clipmsm.pipelines.EmbedFeaturesSettings;
import org.clipmsm.pipelines.EmbedPipeline;
import org.clipmsm.pipelines.EmbedSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Embeds images with an image encoder, or joins precomputed features by key.",
        "Writes embeddings.npy (float32), rows following keys.csv. Images that cannot be read are left out and listed",
        "in failures.csv (exit status 2)."})
final class EmbedCommand implements Callable<Integer> {
  @Option(names = "--images", paramLabel = "DIR|FILE.hdf5", description = "A folder of PNG/JPEG"
      + " images (recursive; key = relative path), an NSD nsd_stimuli.hdf5 (key = nsdId), an NSD-layout root such"
      + " as a synthetic subject, or a Broden root (its index.csv images; key = their path there).")
  Path images;

  @Option(names = "--model", paramLabel = "DIR|tiny-clip", description = "Model directory"
      + " (model.properties, image.pt and/or image.onnx, ...) or tiny-clip, the CLIP that ships with clipmsm.")
  String model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--dense", description = "Per-position maps (n, h, w, D) instead of pooled embeddings (n, D).")
  boolean dense;

  @Option(names = "--batch-size", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize = EmbedSettings.DEFAULT_BATCH_SIZE;

  @Option(names = "--format", description = "auto (TorchScript when present, else ONNX), torchscript or onnx.")
  String format = "auto";

  @Option(names = "--djl-cache", paramLabel = "DIR", description = "Where DJL unpacks the PyTorch native library on"
      + " first use (~430 MB; default: $DJL_CACHE_DIR, else ~/.djl.ai).")
  String djlCache;

  @Option(names = "--events", split = ",", paramLabel = "TSV[,TSV...]", description = "NOD: only the stimuli these"
      + " events.tsv files name, found under --images (NOD's stimuli folder), keyed by file name.")
  List<Path> events = new ArrayList<>();

  @Option(names = "--features", paramLabel = "F.npy", description = "Instead of --images/--model: precomputed"
      + " features, (n, d) or (n, 1, d), joined by key with --keys (never by row order).")
  Path features;

  @Option(names = "--keys", paramLabel = "K.csv", description = "With --features: CSV naming each row (column"
      + " --key-column, else key/nsdId/cocoId/stimulus/image).")
  Path keys;

  @Option(names = "--key-column", paramLabel = "NAME", description = "The key column of --keys.")
  String keyColumn;

  @Option(names = "--order", paramLabel = "O.csv", description = "With --features: write the rows of these keys in"
      + " this order (e.g. image_keys.csv of prepare nsd); default: the order of --keys.")
  Path order;

  @Option(names = "--order-column", paramLabel = "NAME", description = "The key column of --order.")
  String orderColumn;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    if (features != null) {
      if (keys == null || images != null || model != null) {
        throw new InvalidInputException("--features takes --keys, and neither --images nor --model");
      }
      EmbedPipeline.Summary s = EmbedFeaturesPipeline.run(runner.build(), EmbedFeaturesSettings.of(features, keys, out)
          .withKeyColumn(keyColumn).withOrder(order, orderColumn));
      System.out.printf("embed: %d rows of %s joined by key, embeddings %s; wrote %s%n", s.embedded(), features,
          Arrays.toString(s.shape()), out);
      return 0;
    }
    if (images == null || model == null) {
      throw new InvalidInputException("--images and --model are required (or --features with --keys)");
    }
    Djl.configure(djlCache);
    EmbedSettings settings = EmbedSettings.of(images, ModelRef.of(model).withFormat(ModelRef.Format.named(format)), out)
        .withDense(dense).withBatchSize(batchSize).withEvents(events);
    long t0 = System.nanoTime();
    EmbedPipeline.Summary s = EmbedPipeline.run(runner.build(), settings, Progress.lines("clipmsm"));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("embed: %d of %d images, embeddings %s, in %.1f s (%.1f images/s); wrote %s%n", s.embedded(),
        s.images(), Arrays.toString(s.shape()), secs, s.embedded() / secs, out);
    if (!s.failures().isEmpty()) {
      throw new InvalidInputException(s.failures().get(0) + " (" + s.failures().size() + " of " + s.images()
          + " images could not be read; they are listed in " + out.resolve(EmbedPipeline.FAILURES) + ", the other "
          + s.embedded() + " are embedded)");
    }
    return 0;
  }
}
