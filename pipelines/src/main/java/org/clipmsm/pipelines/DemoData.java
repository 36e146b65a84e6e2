package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;

/**
 * Synthetic encoding-model data with a known answer: correlated features (images x features), voxels with planted
 * weights whose responses are the average of {@code TRIALS} noisy trials, and each voxel's ncsnr (signal sd / one
 * trial's noise sd), so that the noise ceiling 100 ncsnr^2 / (ncsnr^2 + 1/3) is the best test R^2 (in percent) any
 * model can expect. Deterministic for a seed.
 */
public final class DemoData {
  public static final int TRIALS = 3;

  private DemoData() {}

  /** Writes features.npy, responses.npy (float32, as real data come) and ncsnr.npy into {@code dir}. */
  public static void write(Path dir, long seed, int images, int features, int voxels) {
    Random rnd = new Random(seed);
    Matrix x = Matrix.zeros(images, features);
    for (int i = 0; i < images; i++) {
      double prev = 0;
      for (int k = 0; k < features; k++) {
        prev = 0.5 * prev + rnd.nextGaussian();
        x.set(i, k, prev);
      }
    }
    Matrix w = Matrix.zeros(features, voxels);
    for (int i = 0; i < w.data().length; i++) {
      w.data()[i] = rnd.nextGaussian() / Math.sqrt(features);
    }
    Matrix signal = x.times(w);
    double[] ncsnr = new double[voxels];
    Matrix y = Matrix.zeros(images, voxels);
    for (int j = 0; j < voxels; j++) {
      double sd = 0;
      for (int i = 0; i < images; i++) {
        sd += signal.get(i, j) * signal.get(i, j) / images;
      }
      sd = Math.sqrt(sd);
      // ncsnr from 0.05 (noise) to 2 (clean), as across visual cortex.
      ncsnr[j] = 0.05 + 1.95 * Math.pow(rnd.nextDouble(), 2);
      double noiseSd = sd / ncsnr[j];
      for (int i = 0; i < images; i++) {
        double mean = 0;
        for (int t = 0; t < TRIALS; t++) {
          mean += (signal.get(i, j) + noiseSd * rnd.nextGaussian()) / TRIALS;
        }
        y.set(i, j, mean);
      }
    }
    Npy.writeMatrix(dir.resolve("features.npy"), x.data(), images, features, Npy.DType.FLOAT32);
    Npy.writeMatrix(dir.resolve("responses.npy"), y.data(), images, voxels, Npy.DType.FLOAT32);
    Npy.writeVector(dir.resolve("ncsnr.npy"), ncsnr, Npy.DType.FLOAT64);
  }
}
