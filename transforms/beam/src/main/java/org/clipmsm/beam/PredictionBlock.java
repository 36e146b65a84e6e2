package org.clipmsm.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.clipmsm.linalg.Matrix;

/**
 * Test-set predictions and the measured responses of a block of consecutive voxels, test rows x voxels each, rows in
 * the same order: the input of bootstrap significance.
 */
public record PredictionBlock(long firstVoxel, Matrix predicted, Matrix actual) {

  /** A fitted block's test predictions with its measured test responses. */
  public static PredictionBlock of(org.clipmsm.ridge.RidgeBlockResult fit) {
    return new PredictionBlock(fit.firstVoxel(), fit.testPredictions(), fit.testResponses());
  }

  /** Coder: first voxel, then the two matrices. */
  public static final class Coder extends CustomCoder<PredictionBlock> {
    private static final long serialVersionUID = 1L;

    public static Coder of() {
      return new Coder();
    }

    @Override
    public void encode(PredictionBlock value, OutputStream out) throws IOException {
      ArrayCoding.data(out).writeLong(value.firstVoxel());
      MatrixCoder.of().encode(value.predicted(), out);
      MatrixCoder.of().encode(value.actual(), out);
    }

    @Override
    public PredictionBlock decode(InputStream in) throws IOException {
      long first = ArrayCoding.data(in).readLong();
      Matrix p = MatrixCoder.of().decode(in);
      return new PredictionBlock(first, p, MatrixCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
