package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.ridge.AlphaGrid;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.RidgeDecomposition;
import org.clipmsm.ridge.RidgeSolver;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.schemas.EncodingModel;
import org.junit.jupiter.api.Test;

/** The block result's coder keeps every field, the intercept and the feature means included, bit for bit. */
class RidgeBlockResultCoderTest {

  private static Matrix matrix(int rows, int cols, double start) {
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < m.data().length; i++) {
      m.data()[i] = start + 0.125 * i;
    }
    return m;
  }

  /** Every field distinct from every other (and of a different length where the layout allows it). */
  private static RidgeBlockResult handMade() {
    return new RidgeBlockResult(12, matrix(3, 2, 1), new double[] {4.5, 5.5}, new double[] {-7.25, Double.NaN},
        new double[] {0.1, 0.2, 0.3}, new double[] {10, 100}, new double[] {0.75, 0.5}, matrix(4, 2, -3),
        matrix(4, 2, 30), new double[] {0.25, Double.NaN}, new double[] {0.5, -0.125});
  }

  private static RidgeBlockResult roundTrip(RidgeBlockResult b) throws Exception {
    RidgeBlockResultCoder coder = RidgeBlockResultCoder.of();
    byte[] bytes = CoderUtils.encodeToByteArray(coder, b);
    RidgeBlockResult back = CoderUtils.decodeFromByteArray(coder, bytes);
    // Deterministic: encoding the decoded value gives the same bytes.
    assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, back));
    return back;
  }

  private static void assertSame(RidgeBlockResult want, RidgeBlockResult got) {
    assertEquals(want.firstVoxel(), got.firstVoxel());
    assertEquals(want.weights(), got.weights());
    assertArrayEquals(want.bias(), got.bias(), 0, "bias");
    assertArrayEquals(want.intercept(), got.intercept(), 0, "intercept");
    assertArrayEquals(want.featureMean(), got.featureMean(), 0, "featureMean");
    assertArrayEquals(want.alpha(), got.alpha(), 0, "alpha");
    assertArrayEquals(want.validationMse(), got.validationMse(), 0, "validationMse");
    assertEquals(want.testPredictions(), got.testPredictions());
    assertEquals(want.testResponses(), got.testResponses());
    assertArrayEquals(want.r2(), got.r2(), 0, "r2");
    assertArrayEquals(want.r(), got.r(), 0, "r");
  }

  @Test
  void handMadeResultRoundTrips() throws Exception {
    RidgeBlockResult b = handMade();
    RidgeBlockResult back = roundTrip(b);
    assertSame(b, back);
    // Spelled out, so that a coder that swapped two arrays of the same length could not pass.
    assertArrayEquals(new double[] {-7.25, Double.NaN}, back.intercept(), 0);
    assertArrayEquals(new double[] {4.5, 5.5}, back.bias(), 0);
    assertArrayEquals(new double[] {0.1, 0.2, 0.3}, back.featureMean(), 0);
  }

  @Test
  void solverResultRoundTrips() throws Exception {
    Random rnd = new Random(3);
    Matrix x = Matrix.zeros(80, 5);
    Matrix y = Matrix.zeros(80, 4);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = 1 + rnd.nextGaussian();
    }
    for (int i = 0; i < y.data().length; i++) {
      y.data()[i] = 2 + x.data()[i % x.data().length] + rnd.nextGaussian();
    }
    RidgeDecomposition d = RidgeDecomposition.compute(x, SplitSpec.defaults().toSplit(80), AlphaGrid.logspace(-2, 3, 6));
    RidgeBlockResult b = RidgeSolver.solve(d, 40, y);
    assertSame(b, roundTrip(b));
  }

  @Test
  void recordsCarryTheInterceptApartFromTheBias() {
    RidgeBlockResult b = handMade();
    List<EncodingModel> records = ToEncodingModels.records(b);
    assertEquals(2, records.size());
    for (int j = 0; j < 2; j++) {
      EncodingModel m = records.get(j);
      assertEquals(12 + j, m.getVoxel());
      assertEquals(b.bias()[j], m.getBias(), 0);
      assertEquals(b.intercept()[j], m.getIntercept(), 0);
    }
    assertEquals(-7.25, records.get(0).getIntercept(), 0);
    assertEquals(Double.NaN, records.get(1).getIntercept(), 0);
  }
}
