package org.clipmsm.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.io.Npy;
import org.clipmsm.ridge.DataSplit;
import org.junit.jupiter.api.Test;

/** Draws compared with arrays NumPy itself wrote (src/test/resources/random/make_fixtures.py). */
class NumpyRandomStateTest {
  private static Path fixture(String name) throws Exception {
    return Path.of(NumpyRandomStateTest.class.getResource("/random/" + name).toURI());
  }

  private static long[] asLong(int[] a) {
    return Arrays.stream(a).asLongStream().toArray();
  }

  @Test
  void permutationMatchesNumpy() throws Exception {
    assertArrayEquals(Npy.readLongVector(fixture("permutation_seed42_n1000.npy")),
        asLong(new NumpyRandomState(42).permutation(1000)));
    long[] p = asLong(new NumpyRandomState(7).permutation(70000));
    long[] ends = new long[200];
    System.arraycopy(p, 0, ends, 0, 100);
    System.arraycopy(p, 69900, ends, 100, 100);
    assertArrayEquals(Npy.readLongVector(fixture("permutation_seed7_n70000_ends.npy")), ends);
  }

  @Test
  void randintMatchesNumpy() throws Exception {
    double[] expected = Npy.readMatrix(fixture("randint_seed41_bound1500_2x1500.npy")); // column-major 2 x 1500
    NumpyRandomState rng = new NumpyRandomState(41);
    for (int b = 0; b < 2; b++) {
      int[] row = rng.randint(1500, 1500);
      for (int i = 0; i < 1500; i++) {
        org.junit.jupiter.api.Assertions.assertEquals(expected[b + 2 * i], row[i], "resample " + b + " draw " + i);
      }
    }
  }

  @Test
  void seededSplitIsScikitLearnsTrainTestSplit() throws Exception {
    int[][] tt = DataSplit.seeded(100, 0.15, 42);
    assertArrayEquals(Npy.readLongVector(fixture("sklearn_split_seed42_n100_test.npy")), asLong(tt[1]));
    assertArrayEquals(Npy.readLongVector(fixture("sklearn_split_seed42_n100_train.npy")), asLong(tt[0]));
  }
}
