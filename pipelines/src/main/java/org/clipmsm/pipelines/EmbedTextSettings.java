package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.beam.EmbedTexts;
import org.clipmsm.embed.ClipTokenizer;
import org.clipmsm.embed.ModelRef;

/**
 * CLIP text embeddings of labels ({@link EmbedTextPipeline}).
 *
 * @param labels a label set, one label a line
 * @param model a CLIP model with a text encoder
 * @param template the prompt, {@code {}} standing for the label (the method scores the bare label)
 * @param out the result, a float32 {@code (labels, D)} .npy
 * @param batchSize labels per forward pass
 */
public record EmbedTextSettings(Path labels, ModelRef model, String template, Path out, int batchSize) {
  /** The bare label, as the method scores it. */
  public static final String BARE_LABEL = EmbedTexts.BARE_LABEL;
  public static final int DEFAULT_BATCH_SIZE = EmbedTexts.DEFAULT_BATCH_SIZE;

  public EmbedTextSettings {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(out, "out");
    ClipTokenizer.prompt(template, "");
    InvalidParameterException.require(batchSize >= 1, "batchSize", "expected at least 1, got " + batchSize);
  }

  public static EmbedTextSettings of(Path labels, ModelRef model, Path out) {
    return new EmbedTextSettings(labels, model, BARE_LABEL, out, DEFAULT_BATCH_SIZE);
  }

  public EmbedTextSettings withTemplate(String t) {
    return new EmbedTextSettings(labels, model, t, out, batchSize);
  }

  public EmbedTextSettings withBatchSize(int n) {
    return new EmbedTextSettings(labels, model, template, out, n);
  }
}
