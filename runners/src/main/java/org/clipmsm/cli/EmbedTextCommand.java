package org.clipmsm.cli;

import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import org.clipmsm.embed.Djl;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.pipelines.EmbedTextPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed-text", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"CLIP text embeddings of labels (one a line): a float32 (labels, D) .npy in the file's order."})
final class EmbedTextCommand implements Callable<Integer> {
  @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Labels, one a line.")
  String labels;

  @Option(names = "--model", required = true, paramLabel = "DIR|tiny-clip", description = "CLIP model directory"
      + " (text.pt and/or text.onnx, tokenizer.json) or tiny-clip.")
  String model;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output .npy file.")
  String out;

  @Option(names = "--template", defaultValue = "{}", description = "Prompt with {} for the label (default: the bare"
      + " label, as the method scores; e.g. \"a photo of {}\").")
  String template;

  @Option(names = "--batch-size", defaultValue = "64", description = "Labels per forward pass (default"
      + " ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--format", defaultValue = "auto", description = "auto, torchscript or onnx.")
  String format;

  @Option(names = "--djl-cache", paramLabel = "DIR", description = "DJL's cache directory (see embed --help).")
  String djlCache;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    Djl.configure(djlCache);
    PipelineOptions o = runner.build(PipelineOptions.class);
    ModelRef ref = ModelRef.of(model).withFormat(ModelRef.Format.named(format));
    long t0 = System.nanoTime();
    int n = EmbedTextPipeline.run(o, new EmbedTextPipeline.Settings(labels, ref, template, out, batchSize));
    System.out.printf("embed-text: %d labels in %.1f s; wrote %s%n", n, (System.nanoTime() - t0) / 1e9, out);
    return 0;
  }
}
