package org.clipmsm.beam;

import java.io.Serializable;
import java.nio.file.Path;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;

/**
 * Where a worker gets the activations Q (images x voxels) of a range of voxels when it needs them, rather than
 * holding every block in memory until then: a Q file, or Q = I W from image embeddings and a block of encoding
 * weights. {@link FindProbeImages} reads only the blocks that hold the voxels it sums.
 */
public interface ActivationSource extends Serializable {
  /** Q's columns {@code first .. first + count - 1}. */
  Matrix columns(long first, int count);

  /**
   * The .npy whose columns are the voxels (Q itself, or the weights): its header gives the voxel ranges of
   * {@link ScoreVoxels#fromSource}. A source that only serves {@link FindProbeImages} need not say.
   */
  default String voxelColumnsFile() {
    throw new UnsupportedOperationException("this activation source names no file of voxel columns; implement"
        + " voxelColumnsFile() to score from it");
  }

  /** Q stored as an images x voxels .npy. */
  static ActivationSource npy(String activations) {
    return new Stored(activations);
  }

  /** Q = I W from an images x features .npy of embeddings and a features x voxels .npy of weights. */
  static ActivationSource product(String embeddings, String weights) {
    return new Product(embeddings, weights);
  }

  /** Q read from its file. */
  final class Stored implements ActivationSource {
    private static final long serialVersionUID = 1L;
    private final String activations;

    private Stored(String activations) {
      this.activations = activations;
    }

    @Override
    public Matrix columns(long first, int count) {
      return ReadVoxelBlocks.columns(activations, first, count);
    }

    @Override
    public String voxelColumnsFile() {
      return activations;
    }
  }

  /** I W a block at a time; I is read once per worker instance. */
  final class Product implements ActivationSource {
    private static final long serialVersionUID = 1L;
    private final String embeddings;
    private final String weights;
    private transient Matrix i;

    private Product(String embeddings, String weights) {
      this.embeddings = embeddings;
      this.weights = weights;
    }

    @Override
    public synchronized Matrix columns(long first, int count) {
      if (i == null) {
        NpyHeader h = Npy.readHeader(Path.of(embeddings));
        i = new Matrix(h.rows(), h.cols(), Npy.readMatrix(Path.of(embeddings)));
      }
      Matrix w = ReadVoxelBlocks.columns(weights, first, count);
      if (w.rows() != i.cols()) {
        throw new InvalidInputException(Path.of(weights).getFileName() + ": " + w.rows() + " rows (features), but "
            + Path.of(embeddings).getFileName() + " has " + i.cols() + " features (expected the fit's weights.npy,"
            + " features x voxels)");
      }
      return i.times(w);
    }

    @Override
    public String voxelColumnsFile() {
      return weights;
    }
  }
}
