package org.clipmsm.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NcsnrTest {
  @Test
  void handWorkedExample() {
    // Two images x 3 trials, one voxel; a 2-trial image is ignored. Variances (ddof 1): image 7 {0.1, 0.3, 0.5}
    // -> 0.04; image 9 {-0.2, 0, 0.2} -> 0.04. sigma^2 = 0.04, ncsnr = sqrt(0.96) / 0.2.
    double[] betas = {0.1, -0.2, 0.3, 0, 0.5, 0.2, 5, -5};
    int[] image = {7, 9, 7, 9, 7, 9, 8, 8};
    assertEquals(Math.sqrt(0.96) / 0.2, Ncsnr.compute(betas, 1, image, 3)[0], 1e-12);
  }

  @Test
  void recoversAPlantedNoiseLevel() {
    // Signal s ~ N(0, vs), noise ~ N(0, vn), vs + vn = 1 (as after z-scoring): ncsnr = sqrt(vs / vn).
    Random rnd = new Random(3);
    int images = 4000;
    double vn = 0.64;
    double[] betas = new double[images * 3];
    int[] image = new int[images * 3];
    for (int i = 0; i < images; i++) {
      double s = Math.sqrt(1 - vn) * rnd.nextGaussian();
      for (int r = 0; r < 3; r++) {
        betas[i * 3 + r] = s + Math.sqrt(vn) * rnd.nextGaussian();
        image[i * 3 + r] = i;
      }
    }
    double got = Ncsnr.compute(betas, 1, image, 3)[0];
    assertTrue(Math.abs(got - Math.sqrt(0.36 / 0.64)) < 0.03, "ncsnr " + got);
  }
}
