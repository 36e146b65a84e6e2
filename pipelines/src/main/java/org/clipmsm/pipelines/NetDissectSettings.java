package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.broden.BrodenSet;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.netdissect.NetDissection;

/**
 * Network Dissection of encoding-model voxels over a Broden probe set ({@link NetDissectPipeline}; docs/method.md
 * §5). The dense features come from a file ({@code dense} with its {@code keys}) or are computed first by an image
 * encoder ({@code model}).
 *
 * @param broden the Broden root ({@code index.csv}, {@code category.csv}, {@code label.csv}, {@code c_*.csv},
 *     {@code images/})
 * @param dense the probe images' dense features {@code (n, h, w, D)} float32 ({@code embed --dense}); null with
 *     {@code model}
 * @param keys the image key of each row of {@code dense}: its {@code index.csv} image path ({@code embed}'s
 *     keys.csv); null with {@code model}
 * @param model the encoder whose dense features to compute first; null with {@code dense}
 * @param weights encoding weights W, features x voxels, fitted on the same encoder's embeddings
 * @param out the result directory
 * @param spec quantile, IoU threshold and union rule
 * @param categories the Broden categories to score; empty for NetDissect-Lite's ({@link
 *     BrodenSet#DEFAULT_CATEGORIES}) that the set has
 * @param voxelsPerBlock voxels per unit of parallel work (memory: their counts, a long per voxel and concept)
 */
public record NetDissectSettings(Path broden, Path dense, Path keys, ModelRef model, Path weights, Path out,
    NetDissection spec, List<String> categories, int voxelsPerBlock) {
  /**
   * Voxels per block by default: each block reads every probe image again (its dense features, twice, and its
   * segmentations), so blocks are larger than other commands' (about 300 MB of maps, counts and threshold buffers at
   * 1,200 concepts and 10,000 images of 7 x 7 positions).
   */
  public static final int DEFAULT_VOXELS_PER_BLOCK = 4096;

  public NetDissectSettings {
    Objects.requireNonNull(broden, "broden");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(spec, "spec");
    categories = List.copyOf(categories);
    if ((model == null) == (dense == null || keys == null) || (model != null && (dense != null || keys != null))) {
      throw new IllegalArgumentException("give dense with keys, or model");
    }
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
  }

  /** NetDissect-Lite's defaults over precomputed dense features. */
  public static NetDissectSettings fromDense(Path broden, Path dense, Path keys, Path weights, Path out) {
    return new NetDissectSettings(broden, dense, keys, null, weights, out, NetDissection.defaults(),
        List.of(), DEFAULT_VOXELS_PER_BLOCK);
  }

  /** NetDissect-Lite's defaults over the dense features of {@code model}, computed first. */
  public static NetDissectSettings fromModel(Path broden, ModelRef model, Path weights, Path out) {
    return new NetDissectSettings(broden, null, null, model, weights, out, NetDissection.defaults(),
        List.of(), DEFAULT_VOXELS_PER_BLOCK);
  }

  public NetDissectSettings with(NetDissection s) {
    return new NetDissectSettings(broden, dense, keys, model, weights, out, s, categories, voxelsPerBlock);
  }

  public NetDissectSettings withCategories(List<String> c) {
    return new NetDissectSettings(broden, dense, keys, model, weights, out, spec, c, voxelsPerBlock);
  }

  public NetDissectSettings withVoxelsPerBlock(int n) {
    return new NetDissectSettings(broden, dense, keys, model, weights, out, spec, categories, n);
  }

  /** The same dissection over dense features already computed (what {@code model} gives, written elsewhere). */
  NetDissectSettings withDense(Path d, Path k) {
    return new NetDissectSettings(broden, d, k, null, weights, out, spec, categories, voxelsPerBlock);
  }
}
