package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.EmbedTexts;
import org.clipmsm.embed.ClipTokenizer;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.EmbeddingsFile;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.embed.ModelRef;

/**
 * {@code clipmsm embed-text}: the CLIP text embedding of every label of a labels file (one label a line; blank lines
 * skipped), written as a float32 {@code (labels, D)} .npy in the file's order.
 */
public final class EmbedTextPipeline {
  private EmbedTextPipeline() {}

  public record Settings(String labels, ModelRef model, String template, String out, int batchSize) {}

  public static List<String> readLabels(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (MalformedInputException e) {
      throw new InvalidInputException(file + ": not UTF-8 text (expected one label a line)", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read the labels (" + e.getMessage() + ")", e);
    }
    LinkedHashSet<String> labels = new LinkedHashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (!l.isEmpty() && !labels.add(l)) {
        throw new InvalidInputException(file + ": label \"" + l + "\" again at line " + (i + 1)
            + " (expected each label once)");
      }
    }
    if (labels.isEmpty()) {
      throw new InvalidInputException(file + ": no label (expected one label a line)");
    }
    return new ArrayList<>(labels);
  }

  public static int run(PipelineOptions options, Settings s) {
    ClipTokenizer.prompt(s.template(), "");
    List<String> labels = readLabels(Path.of(s.labels()));
    int dim;
    EmbeddingModel m = ModelPool.borrow(s.model());
    try {
      dim = m.embedTexts(new long[][] {m.tokenizer().encode(ClipTokenizer.prompt(s.template(), labels.get(0)))})[0]
          .length;
    } finally {
      ModelPool.giveBack(m);
    }
    Path target = Path.of(s.out()).toAbsolutePath();
    try (OutputDirectory out = OutputDirectory.open(target.getParent(), "embed-text")) {
      Path parts = Files.createDirectory(out.file("parts"));
      Pipeline p = Pipeline.create(options);
      p.apply("Labels", Create.of(labels))
          .apply("Embed texts", EmbedTexts.with(s.model()).withTemplate(s.template()).withBatchSize(s.batchSize()))
          .apply("Write", ParDo.of(new WritePart(parts.toString())));
      p.run().waitUntilFinish();
      long[] shape = {labels.size(), dim};
      Path npy = out.file(target.getFileName().toString());
      EmbeddingsFile.create(npy, shape);
      for (int i = 0; i < labels.size(); i++) {
        Path part = parts.resolve(WritePart.name(labels.get(i)));
        EmbeddingsFile.writeRow(npy, shape, i, EmbeddingsFile.readRow(part, new long[] {1, dim}, 0));
        Files.delete(part);
      }
      Files.delete(parts);
      out.commit();
      return labels.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ModelPool.release(s.model());
    }
  }

  /** Each label's embedding as a one-row file named by a hash of the label, for the driver to assemble in order. */
  static final class WritePart extends DoFn<KV<String, float[]>, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;

    WritePart(String dir) {
      this.dir = dir;
    }

    static String name(String label) {
      return java.util.HexFormat.of().formatHex(sha1(label)) + ".npy";
    }

    private static byte[] sha1(String s) {
      try {
        return java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(
            java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @ProcessElement
    public void process(@Element KV<String, float[]> e) {
      long[] shape = {1, e.getValue().length};
      Path f = Path.of(dir, name(e.getKey()));
      EmbeddingsFile.create(f, shape);
      EmbeddingsFile.writeRow(f, shape, 0, e.getValue());
    }
  }
}
