package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.beam.EmbedImages;
import org.clipmsm.embed.ModelRef;

/**
 * Image embeddings of an image encoder ({@link EmbedPipeline}).
 *
 * @param images a folder of PNG/JPEG images, an NSD {@code nsd_stimuli.hdf5}, an NSD-layout root, a Broden root
 *     (its index.csv images, keyed by their path there), or with
 *     {@code events} NOD's stimuli folder
 * @param model the encoder
 * @param out the result directory ({@code embeddings.npy}, {@code keys.csv}, {@code failures.csv})
 * @param dense per-position maps {@code (n, h, w, D)} instead of pooled embeddings {@code (n, D)}
 * @param batchSize images per forward pass
 * @param events NOD {@code events.tsv} files naming the stimuli to embed (empty: every image of {@code images})
 */
public record EmbedSettings(Path images, ModelRef model, Path out, boolean dense, int batchSize, List<Path> events) {
  /** Images per forward pass by default. */
  public static final int DEFAULT_BATCH_SIZE = EmbedImages.DEFAULT_BATCH_SIZE;

  public EmbedSettings {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(out, "out");
    events = List.copyOf(events);
    InvalidParameterException.require(batchSize >= 1, "batchSize", "expected at least 1, got " + batchSize);
  }

  public static EmbedSettings of(Path images, ModelRef model, Path out) {
    return new EmbedSettings(images, model, out, false, DEFAULT_BATCH_SIZE, List.of());
  }

  public EmbedSettings withDense(boolean d) {
    return new EmbedSettings(images, model, out, d, batchSize, events);
  }

  public EmbedSettings withBatchSize(int n) {
    return new EmbedSettings(images, model, out, dense, n, events);
  }

  public EmbedSettings withEvents(List<Path> files) {
    return new EmbedSettings(images, model, out, dense, batchSize, files);
  }
}
