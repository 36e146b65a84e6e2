package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.beam.EmbedTexts;
import org.clipmsm.dissect.LabelSet;
import org.clipmsm.embed.ClipTokenizer;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.io.NpyRanges;

/**
 * The CLIP text embedding of every label of a label set ({@link LabelSet}: one label a line, blank lines skipped),
 * written as a float32 {@code (labels, D)} .npy in the file's order. Workers write each label's row in place in the
 * staged file.
 *
 * <pre>{@code
 * int labels = EmbedTextPipeline.run(options,
 *     EmbedTextSettings.of(Path.of("labels.txt"), ModelRef.of("tiny-clip"), Path.of("text.npy")));
 * }</pre>
 */
public final class EmbedTextPipeline implements StagedPipeline<PCollection<KV<String, float[]>>, Integer> {
  private final EmbedTextSettings settings;
  private final List<String> labels;
  private final int dim;

  private EmbedTextPipeline(EmbedTextSettings settings, List<String> labels, int dim) {
    this.settings = settings;
    this.labels = labels;
    this.dim = dim;
  }

  /** Reads the labels and opens the model to learn its embedding size. */
  public static EmbedTextPipeline of(EmbedTextSettings s) {
    List<String> labels = LabelSet.read(s.labels());
    EmbeddingModel m = ModelPool.borrow(s.model());
    try {
      int dim = m.embedTexts(new long[][] {m.tokenizer().encode(ClipTokenizer.prompt(s.template(), labels.get(0)))})[0]
          .length;
      return new EmbedTextPipeline(s, labels, dim);
    } finally {
      ModelPool.giveBack(m);
    }
  }

  /** Runs and commits; returns the number of labels. The model instances it loaded are closed afterwards. */
  public static int run(PipelineOptions options, EmbedTextSettings s) {
    try {
      return PipelineRuns.toFile(options, s.out(), of(s));
    } finally {
      ModelPool.release(s.model());
    }
  }

  @Override
  public List<Path> inputs() {
    return List.of(settings.labels());
  }

  /** @param out the staged result file, created here and written row by row in place by the workers */
  @Override
  public PCollection<KV<String, float[]>> expand(StageGraph graph, Path out) {
    long[] shape = {labels.size(), dim};
    NpyRanges.createFloat32(out, shape);
    PCollection<KV<String, float[]>> embedded = graph.begin("Labels", Create.of(labels))
        .apply("Embed texts", EmbedTexts.with(settings.model()).withTemplate(settings.template())
            .withBatchSize(settings.batchSize()));
    graph.wrote(embedded.apply("Write", ParDo.of(new EmbedPipeline.WriteRows(out, shape, labels))));
    return embedded;
  }

  @Override
  public Integer finish(Path out) {
    return labels.size();
  }
}
