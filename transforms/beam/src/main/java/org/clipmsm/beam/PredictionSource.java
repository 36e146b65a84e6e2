package org.clipmsm.beam;

import java.io.Serializable;

/**
 * Where a worker gets the test predictions and measured test responses of a range of voxels when it bootstraps them,
 * rather than receiving them through a PCollection: a runner without backpressure (DirectRunner) would hold every
 * block until its consumer runs, so memory would grow with the number of voxels. See
 * {@link TestSignificance#fromSource}.
 */
public interface PredictionSource extends Serializable {
  /** The block of voxels {@code first .. first + count - 1}. */
  PredictionBlock columns(long first, int count);

  /** Predictions and responses stored as two test rows x voxels .npy files, rows in the same order. */
  static PredictionSource npy(String predicted, String actual) {
    return (first, count) -> new PredictionBlock(first, ReadVoxelBlocks.columns(predicted, first, count),
        ReadVoxelBlocks.columns(actual, first, count));
  }

  /**
   * Predictions from a test rows x voxels .npy ({@code pred_test.npy} of a fit), responses from the rows
   * {@code testRows} (in the predictions' row order) of the whole images x voxels responses the fit read.
   */
  static PredictionSource testRowsOf(String predicted, String responses, int[] testRows) {
    int[] rowsInOrder = testRows.clone();
    return (first, count) -> new PredictionBlock(first, ReadVoxelBlocks.columns(predicted, first, count),
        ReadVoxelBlocks.columns(responses, first, count).selectRows(rowsInOrder));
  }
}
