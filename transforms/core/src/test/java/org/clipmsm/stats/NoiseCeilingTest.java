package org.clipmsm.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;

class NoiseCeilingTest {
  @Test
  void fixedTrials() {
    // ncsnr 1, 3 trials: 100 * 1 / (1 + 1/3) = 75.
    assertEquals(75.0, NoiseCeiling.percent(1.0, NoiseCeiling.inverseTrials(3)), 1e-12);
    // ncsnr 0.5, 1 trial: 100 * 0.25 / 1.25 = 20.
    assertEquals(20.0, NoiseCeiling.percent(0.5, NoiseCeiling.inverseTrials(1)), 1e-12);
    assertEquals(0.0, NoiseCeiling.percent(0.0, NoiseCeiling.inverseTrials(3)), 0);
    assertTrue(Double.isNaN(NoiseCeiling.percent(Double.NaN, 1)));
  }

  @Test
  void mixedTrialCounts() {
    // A = B = C = 1: (1/3 + 1/2 + 1) / 3 = 11/18; ncsnr 0.5: 100 * 0.25 / (0.25 + 11/18) = 100 * 9 / 31.
    assertEquals(900.0 / 31.0, NoiseCeiling.percent(0.5, NoiseCeiling.inverseTrials(1, 1, 1)), 1e-12);
    // All images with 3 trials is the fixed-trials case.
    assertEquals(NoiseCeiling.percent(0.7, NoiseCeiling.inverseTrials(3)),
        NoiseCeiling.percent(0.7, NoiseCeiling.inverseTrials(10000, 0, 0)), 1e-12);
    assertThrows(InvalidInputException.class, () -> NoiseCeiling.inverseTrials(0, 0, 0));
    assertThrows(InvalidInputException.class, () -> NoiseCeiling.inverseTrials(0));
  }
}
