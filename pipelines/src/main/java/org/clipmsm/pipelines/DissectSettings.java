package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.SemanticMaps;

/**
 * CLIP dissection of encoding-model voxels ({@link DissectPipeline}), from activations Q, or from image embeddings
 * and encoding weights (Q = I W).
 *
 * @param similarities image-label similarities P, images x labels
 * @param activations Q, images x voxels; or null with {@code embeddings} and {@code weights}
 * @param embeddings image embeddings I, images x features (with {@code weights})
 * @param weights encoding weights W, features x voxels (as fit writes them)
 * @param out the result directory
 * @param method the similarity function and its constants (docs/method.md §4)
 * @param temperature of the multi-semantic softmax (the method's 1)
 * @param labels label names, one a line in the column order of P, or null (labels are then numbered)
 * @param voxelSets CSV {@code set,voxel}: one dissection per set and their union, or null for all voxels as one set
 * @param voxelsPerBlock voxels per unit of parallel work
 * @param outputs the dtype of scores.npy and msm.npy, and whether semantic_map.avro is written
 */
public record DissectSettings(Path similarities, Path activations, Path embeddings, Path weights, Path out,
    Dissection method, double temperature, Path labels, Path voxelSets, int voxelsPerBlock, DissectOutputs outputs) {
  /** The method's softmax temperature: CLIP-MSM's maps at 1. */
  public static final double DEFAULT_TEMPERATURE = 1;

  public DissectSettings {
    Objects.requireNonNull(similarities, "similarities");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(method, "method");
    if ((activations == null) == (embeddings == null || weights == null)
        || (activations != null && (embeddings != null || weights != null))) {
      throw new IllegalArgumentException("give activations, or embeddings and weights");
    }
    SemanticMaps.checkTemperature(temperature);
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
    Objects.requireNonNull(outputs, "outputs");
  }

  /** SoftWPMI with the CLIP-MSM defaults on activations Q. */
  public static DissectSettings fromActivations(Path similarities, Path activations, Path out) {
    return new DissectSettings(similarities, activations, null, null, out, Dissection.softWpmi(), DEFAULT_TEMPERATURE,
        null, null, ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK, DissectOutputs.DEFAULT);
  }

  /** SoftWPMI with the CLIP-MSM defaults on Q = I W. */
  public static DissectSettings fromEmbeddings(Path similarities, Path embeddings, Path weights, Path out) {
    return new DissectSettings(similarities, null, embeddings, weights, out, Dissection.softWpmi(),
        DEFAULT_TEMPERATURE, null, null, ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK, DissectOutputs.DEFAULT);
  }

  public DissectSettings withMethod(Dissection d) {
    return new DissectSettings(similarities, activations, embeddings, weights, out, d, temperature, labels, voxelSets,
        voxelsPerBlock, outputs);
  }

  public DissectSettings withTemperature(double t) {
    return new DissectSettings(similarities, activations, embeddings, weights, out, method, t, labels, voxelSets,
        voxelsPerBlock, outputs);
  }

  public DissectSettings withLabels(Path file) {
    return new DissectSettings(similarities, activations, embeddings, weights, out, method, temperature, file,
        voxelSets, voxelsPerBlock, outputs);
  }

  public DissectSettings withVoxelSets(Path file) {
    return new DissectSettings(similarities, activations, embeddings, weights, out, method, temperature, labels, file,
        voxelsPerBlock, outputs);
  }

  public DissectSettings withVoxelsPerBlock(int n) {
    return new DissectSettings(similarities, activations, embeddings, weights, out, method, temperature, labels,
        voxelSets, n, outputs);
  }

  public DissectSettings withOutputs(DissectOutputs o) {
    return new DissectSettings(similarities, activations, embeddings, weights, out, method, temperature, labels,
        voxelSets, voxelsPerBlock, o);
  }

  public boolean fromActivations() {
    return activations != null;
  }
}
