package org.clipmsm.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** Fig. 6's correlations on a hand-worked example of 4 voxels and 2 labels. */
class GroundTruthCorrelationTest {
  @Test
  void handWorkedExample() {
    // msm column 0: 0.9, 0.6, 0.3, 0.2; truth column 0: 1, 0.5, 0.5, 0 (means 0.5 and 0.5).
    // deviations m: 0.4, 0.1, -0.2, -0.3; t: 0.5, 0, 0, -0.5 -> sum mt = 0.35, sum m^2 = 0.30, sum t^2 = 0.5.
    Matrix msm = Matrix.fromRows(new double[][] {{0.9, 0.1}, {0.6, 0.4}, {0.3, 0.7}, {0.2, 0.8}});
    Matrix truth = Matrix.fromRows(new double[][] {{1, 0}, {0.5, 0.5}, {0.5, 0.5}, {0, 1}});
    int[] argmax = {0, 0, 1, 1};
    GroundTruthCorrelation r = GroundTruthCorrelation.of(msm, argmax, truth);
    assertEquals(0.35 / Math.sqrt(0.30 * 0.5), r.msm()[0], 1e-12);
    // one-hot column 0: 1, 1, 0, 0 (deviations 0.5, 0.5, -0.5, -0.5): sum ht = 0.5, sum h^2 = 1 -> r = 0.5 / sqrt(0.5).
    assertEquals(0.5 / Math.sqrt(0.5), r.oneHot()[0], 1e-12);
    // Column 1 mirrors column 0 (1 - x): the same correlations.
    assertEquals(r.msm()[0], r.msm()[1], 1e-12);
    assertEquals(r.oneHot()[0], r.oneHot()[1], 1e-12);
  }

  @Test
  void aLabelNobodyWinsHasNoOneHotCorrelation() {
    Matrix msm = Matrix.fromRows(new double[][] {{0.9, 0.1}, {0.6, 0.4}, {0.7, 0.3}});
    Matrix truth = Matrix.fromRows(new double[][] {{1, 0}, {0.5, 0.5}, {0.2, 0.8}});
    GroundTruthCorrelation r = GroundTruthCorrelation.of(msm, new int[] {0, 0, 0}, truth);
    assertTrue(Double.isNaN(r.oneHot()[1]));
    assertTrue(Double.isNaN(r.oneHot()[0]));
    assertTrue(Double.isFinite(r.msm()[1]));
    assertThrows(IllegalArgumentException.class, () -> GroundTruthCorrelation.of(msm, new int[] {0, 0}, truth));
  }
}
