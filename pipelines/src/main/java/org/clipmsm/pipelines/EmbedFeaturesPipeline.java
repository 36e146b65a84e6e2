package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ReadKeyedFeatures;
import org.clipmsm.embed.KeyedFeatures;
import org.clipmsm.io.Csv;
import org.clipmsm.io.NpyRanges;

/**
 * Precomputed features as {@code embeddings.npy} + {@code keys.csv}, as {@link EmbedPipeline} writes them: the rows
 * of the features file looked up by key (never by row order), in the order of an order file when given (e.g.
 * {@code image_keys.csv} of prepare, so that rows follow the responses), else in the keys file's own order.
 *
 * <pre>{@code
 * EmbedPipeline.Summary s = EmbedFeaturesPipeline.run(options, EmbedFeaturesSettings.of(Path.of("clip.npy"),
 *     Path.of("clip_keys.csv"), Path.of("features")).withOrder(Path.of("prepared/image_keys.csv"), "nsdId"));
 * }</pre>
 */
public final class EmbedFeaturesPipeline implements StagedPipeline<PCollection<KV<String, float[]>>,
    EmbedPipeline.Summary> {
  private final EmbedFeaturesSettings settings;
  private final List<String> order;
  private final long[] shape;

  private EmbedFeaturesPipeline(EmbedFeaturesSettings settings, List<String> order, long[] shape) {
    this.settings = settings;
    this.order = order;
    this.shape = shape;
  }

  /** Reads the keys and checks that every key to write has features. */
  public static EmbedFeaturesPipeline of(EmbedFeaturesSettings s) {
    KeyedFeatures table = KeyedFeatures.read(s.features(), s.keys(), s.keyColumn());
    List<String> order = s.order() == null ? KeyedFeatures.readKeys(s.keys(), s.keyColumn())
        : KeyedFeatures.readKeys(s.order(), s.orderColumn());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String key : order) {
      if (!seen.add(key)) {
        throw new InvalidInputException(s.order() + ": key " + key + " twice (expected each key once)");
      }
      table.row(key);
    }
    return new EmbedFeaturesPipeline(s, order, new long[] {order.size(), table.dim()});
  }

  public static EmbedPipeline.Summary run(PipelineOptions options, EmbedFeaturesSettings s) {
    return PipelineRuns.toDirectory(options, s.out(), of(s));
  }

  @Override
  public List<Path> inputs() {
    List<Path> in = new ArrayList<>(List.of(settings.features(), settings.keys()));
    if (settings.order() != null) {
      in.add(settings.order());
    }
    return in;
  }

  @Override
  public PCollection<KV<String, float[]>> expand(StageGraph graph, Path out) {
    Path npy = out.resolve(EmbedPipeline.EMBEDDINGS);
    NpyRanges.createFloat32(npy, shape);
    writeKeys(out);
    PCollection<KV<String, float[]>> features = graph.pipeline().apply("Features", ReadKeyedFeatures.from(
        settings.features().toString(), settings.keys().toString(), settings.keyColumn()).forKeys(order)
        .waitFor(graph.inputsWritten()));
    graph.wrote(features.apply("Write rows", ParDo.of(new EmbedPipeline.WriteRows(npy, shape, order))));
    return features;
  }

  @Override
  public EmbedPipeline.Summary finish(Path out) {
    return new EmbedPipeline.Summary(order.size(), order.size(), List.of(), shape);
  }

  /** keys.csv: the rows' keys, known before anything runs. */
  private void writeKeys(Path out) {
    try (CSVPrinter w = Csv.printer(out.resolve(EmbedPipeline.KEYS), "row", "key")) {
      for (int i = 0; i < order.size(); i++) {
        w.printRecord(i, order.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
