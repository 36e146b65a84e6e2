package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.embed.Djl;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.pipelines.EmbedTextPipeline;
import org.clipmsm.pipelines.EmbedTextSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed-text", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Embeds labels (one a line) with a CLIP text encoder into a float32 (labels, D) .npy."})
final class EmbedTextCommand implements Callable<Integer> {
  @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Labels, one a line.")
  Path labels;

  @Option(names = "--model", required = true, paramLabel = "DIR|tiny-clip", description = "CLIP model directory"
      + " (text.pt and/or text.onnx, tokenizer.json) or tiny-clip.")
  String model;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output .npy file.")
  Path out;

  @Option(names = "--template", description = "Prompt with {} for the label (default: the bare label, as the method"
      + " scores; e.g. \"a photo of {}\").")
  String template = EmbedTextSettings.BARE_LABEL;

  @Option(names = "--batch-size", description = "Labels per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize = EmbedTextSettings.DEFAULT_BATCH_SIZE;

  @Option(names = "--format", description = "auto, torchscript or onnx.")
  String format = "auto";

  @Option(names = "--djl-cache", paramLabel = "DIR", description = "DJL's cache directory (see embed --help).")
  String djlCache;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    Djl.configure(djlCache);
    EmbedTextSettings s = EmbedTextSettings.of(labels, ModelRef.of(model).withFormat(ModelRef.Format.named(format)),
        out).withTemplate(template).withBatchSize(batchSize);
    long t0 = System.nanoTime();
    int n = EmbedTextPipeline.run(runner.build(), s);
    System.out.printf("embed-text: %d labels in %.1f s; wrote %s%n", n, (System.nanoTime() - t0) / 1e9, out);
    return 0;
  }
}
