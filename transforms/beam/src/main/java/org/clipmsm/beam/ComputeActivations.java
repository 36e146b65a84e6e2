package org.clipmsm.beam;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.InvalidInputException;
import org.clipmsm.linalg.Matrix;

/**
 * Activations Q = I W (docs/method.md §4): the encoding model's prediction for every image, per voxel, without the
 * bias (it shifts a voxel's activations equally and changes no ranking). Input: blocks of encoding weights as the
 * {@code fit} command writes them (features x voxels, {@code weights.npy} read with {@link ReadVoxelBlocks}); output:
 * blocks of activations (images x voxels) of the same voxels, so only one shard of Q is ever in memory.
 *
 * <pre>{@code
 * PCollection<Matrix> embeddings = p.apply(ReadNpyMatrix.from("I.npy"));          // images x features
 * PCollection<VoxelBlock> q = p.apply(ReadVoxelBlocks.from("weights.npy"))
 *     .apply(ComputeActivations.withEmbeddings(embeddings));
 * }</pre>
 */
public final class ComputeActivations extends PTransform<PCollection<VoxelBlock>, PCollection<VoxelBlock>> {
  private static final long serialVersionUID = 1L;
  private final transient PCollection<Matrix> embeddings;

  private ComputeActivations(PCollection<Matrix> embeddings) {
    this.embeddings = embeddings;
  }

  /** @param embeddings one element: images x features image embeddings */
  public static ComputeActivations withEmbeddings(PCollection<Matrix> embeddings) {
    return new ComputeActivations(embeddings);
  }

  @Override
  public PCollection<VoxelBlock> expand(PCollection<VoxelBlock> weights) {
    ChunkedSideInput<Matrix> view = ChunkedSideInput.of(embeddings);
    return weights.apply("I x W", ParDo.of(new Multiply(view)).withSideInputs(view.view()))
        .setCoder(VoxelBlock.Coder.of());
  }

  private static final class Multiply extends DoFn<VoxelBlock, VoxelBlock> {
    private static final long serialVersionUID = 1L;
    private final ChunkedSideInput<Matrix> embeddings;

    Multiply(ChunkedSideInput<Matrix> embeddings) {
      this.embeddings = embeddings;
    }

    @ProcessElement
    public void process(@Element VoxelBlock w, ProcessContext c) {
      Matrix i = embeddings.get(c);
      if (w.values().rows() != i.cols()) {
        throw new InvalidInputException("weights: " + w.values().rows() + " rows (features), but the embeddings have "
            + i.cols() + " features (expected the fit's weights.npy, features x voxels)");
      }
      c.output(new VoxelBlock(w.firstVoxel(), i.times(w.values())));
    }
  }
}
