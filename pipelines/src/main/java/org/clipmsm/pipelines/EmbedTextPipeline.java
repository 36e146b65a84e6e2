package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.beam.EmbedTexts;
import org.clipmsm.dissect.LabelSet;
import org.clipmsm.embed.ClipTokenizer;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.io.Float32Rows;
import org.clipmsm.io.NpyRanges;

/**
 * The CLIP text embedding of every label of a label set ({@link LabelSet}: one label a line, blank lines skipped),
 * written as a float32 {@code (labels, D)} .npy in the file's order. Workers write one part per label beside the
 * staged file; the driver assembles them in order.
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

  /** @param out the staged result file; the parts go to a directory beside it, in the staging directory */
  @Override
  public PCollection<KV<String, float[]>> expand(Pipeline pipeline, Path out) {
    Path parts = partsDir(out);
    try {
      Files.createDirectory(parts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PCollection<KV<String, float[]>> embedded = pipeline.apply("Labels", Create.of(labels))
        .apply("Embed texts", EmbedTexts.with(settings.model()).withTemplate(settings.template())
            .withBatchSize(settings.batchSize()));
    embedded.apply("Write", ParDo.of(new WritePart(parts.toString())));
    return embedded;
  }

  private static Path partsDir(Path out) {
    return out.resolveSibling("parts");
  }

  @Override
  public Integer finish(Path out) {
    Path parts = partsDir(out);
    long[] shape = {labels.size(), dim};
    NpyRanges.createFloat32(out, shape);
    try {
      for (int i = 0; i < labels.size(); i++) {
        Path part = parts.resolve(WritePart.name(labels.get(i)));
        NpyRanges.writeFloatRow(out, shape, i, Float32Rows.open(part, 2, "a label's embedding").row(0));
        Files.delete(part);
      }
      Files.delete(parts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return labels.size();
  }

  /** Each label's embedding as a one-row file named by a hash of the label, for the driver to assemble in order. */
  static final class WritePart extends DoFn<KV<String, float[]>, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;

    WritePart(String dir) {
      this.dir = dir;
    }

    static String name(String label) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(
            label.getBytes(StandardCharsets.UTF_8))) + ".npy";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @ProcessElement
    public void process(@Element KV<String, float[]> e) {
      long[] shape = {1, e.getValue().length};
      Path f = Path.of(dir, name(e.getKey()));
      NpyRanges.createFloat32(f, shape);
      NpyRanges.writeFloatRow(f, shape, 0, e.getValue());
    }
  }
}
