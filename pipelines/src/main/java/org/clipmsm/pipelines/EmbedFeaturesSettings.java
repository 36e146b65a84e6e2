package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Precomputed features joined by key ({@link EmbedFeaturesPipeline}).
 *
 * @param features the features, {@code (n, d)} or {@code (n, 1, d)}
 * @param keys CSV naming each row of the features
 * @param keyColumn the key column of {@code keys}, or null for the first of key, nsdId, cocoId, stimulus, image
 * @param order CSV whose keys give the rows to write, in its order (e.g. prepare's {@code image_keys.csv}), or null
 *     for the order of {@code keys}
 * @param orderColumn the key column of {@code order}, or null as for {@code keyColumn}
 * @param out the result directory ({@code embeddings.npy}, {@code keys.csv})
 */
public record EmbedFeaturesSettings(Path features, Path keys, String keyColumn, Path order, String orderColumn,
    Path out) {
  public EmbedFeaturesSettings {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(out, "out");
  }

  public static EmbedFeaturesSettings of(Path features, Path keys, Path out) {
    return new EmbedFeaturesSettings(features, keys, null, null, null, out);
  }

  public EmbedFeaturesSettings withKeyColumn(String column) {
    return new EmbedFeaturesSettings(features, keys, column, order, orderColumn, out);
  }

  public EmbedFeaturesSettings withOrder(Path file, String column) {
    return new EmbedFeaturesSettings(features, keys, keyColumn, file, column, out);
  }
}
