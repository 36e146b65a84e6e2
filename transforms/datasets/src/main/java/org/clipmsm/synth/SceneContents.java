package org.clipmsm.synth;

import java.util.Random;

/**
 * How much of each category every synthetic image holds (images x categories, row-major), the planted image content:
 * each image holds one to three categories, one of them dominant, with amounts in (0, 1] summing to at most 1 (the
 * rest of the canvas is neutral background). Natural scenes are mixtures; so are these.
 */
public final class SceneContents {
  private SceneContents() {}

  public static double[][] draw(int images, int categories, Random rnd) {
    double[][] out = new double[images][categories];
    for (int n = 0; n < images; n++) {
      int present = 1 + rnd.nextInt(Math.min(3, categories));
      int dominant = rnd.nextInt(categories);
      double total = 0.6 + 0.4 * rnd.nextDouble();
      double[] w = new double[categories];
      w[dominant] = 1.0 + rnd.nextDouble();
      for (int extra = 1; extra < present; extra++) {
        w[rnd.nextInt(categories)] += 0.2 + 0.5 * rnd.nextDouble();
      }
      double sum = 0;
      for (double x : w) {
        sum += x;
      }
      for (int c = 0; c < categories; c++) {
        out[n][c] = total * w[c] / sum;
      }
    }
    return out;
  }
}
