package org.clipmsm.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {

  @Test
  void handWorkedExample() {
    // Sorted: 0.005, 0.01, 0.03, 0.04, 0.20; m p / rank: 0.025, 0.025, 0.05, 0.05, 0.20; running minimum from the top.
    double[] p = {0.01, 0.04, 0.03, 0.005, 0.20};
    double[] q = BenjaminiHochberg.adjust(p);
    assertArrayEquals(new double[] {0.025, 0.05, 0.05, 0.025, 0.20}, q, 1e-15);
    assertArrayEquals(new boolean[] {true, true, true, true, false}, BenjaminiHochberg.significant(q, 0.05));
  }

  @Test
  void stepUpTakesTheMinimumFromAbove() {
    // m p / rank = 0.4, 0.2, 0.5, 0.4 -> running minimum from the largest rank: 0.2, 0.2, 0.4, 0.4.
    assertArrayEquals(new double[] {0.2, 0.2, 0.4, 0.4},
        BenjaminiHochberg.adjust(new double[] {0.1, 0.1, 0.375, 0.4}), 1e-15);
    // 3 p / 2 = 1.35 > 1 is capped by the step-up from rank 3 (0.95).
    assertArrayEquals(new double[] {0.03, 0.95, 0.95}, BenjaminiHochberg.adjust(new double[] {0.01, 0.9, 0.95}),
        1e-15);
  }

  @Test
  void nanIsLeftOutOfTheCount() {
    double[] q = BenjaminiHochberg.adjust(new double[] {Double.NaN, 0.01, 0.02});
    assertTrue(Double.isNaN(q[0]));
    assertEquals(0.02, q[1], 1e-15); // m = 2, not 3
    assertEquals(0.02, q[2], 1e-15);
    assertArrayEquals(new boolean[] {false, true, true}, BenjaminiHochberg.significant(q, 0.05));
  }
}
