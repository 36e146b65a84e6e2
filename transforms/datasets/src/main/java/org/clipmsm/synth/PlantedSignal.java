package org.clipmsm.synth;

import java.util.Random;

/**
 * The noise-free response of every voxel to every image and the noise level planted with it: signal = gain x
 * (tuning . content), centred over images (gain in [1, 2)); a planted ncsnr in [0.2, 1.5] per voxel and the noise sd
 * it implies, sd(signal) / ncsnr (population sd over the images), so that single-trial betas signal + noise have
 * exactly that ncsnr.
 *
 * @param signal images x voxels, column-major
 */
public record PlantedSignal(double[] signal, double[] ncsnr, double[] noiseSd) {
  /** content images x categories, tuning voxels x categories; draws 2 numbers per voxel from {@code rnd}. */
  public static PlantedSignal draw(double[][] content, double[][] tuning, Random rnd) {
    int n = content.length;
    int v = tuning.length;
    double[] signal = new double[n * v];
    double[] ncsnr = new double[v];
    double[] noiseSd = new double[v];
    for (int q = 0; q < v; q++) {
      double gain = 1.0 + rnd.nextDouble();
      double mean = 0;
      for (int img = 0; img < n; img++) {
        double x = 0;
        for (int c = 0; c < tuning[q].length; c++) {
          x += tuning[q][c] * content[img][c];
        }
        signal[img + n * q] = gain * x;
        mean += gain * x / n;
      }
      double var = 0;
      for (int img = 0; img < n; img++) {
        signal[img + n * q] -= mean;
        var += signal[img + n * q] * signal[img + n * q] / n;
      }
      ncsnr[q] = 0.2 + 1.3 * rnd.nextDouble();
      noiseSd[q] = Math.sqrt(var) / ncsnr[q];
    }
    return new PlantedSignal(signal, ncsnr, noiseSd);
  }
}
