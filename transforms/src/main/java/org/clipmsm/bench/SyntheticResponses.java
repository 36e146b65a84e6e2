package org.clipmsm.bench;

import java.nio.file.Path;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;

/** Benchmark inputs: Gaussian features and responses = features x random weights + noise, written as float32 .npy. */
public final class SyntheticResponses {
  private SyntheticResponses() {}

  public static void write(Path features, Path responses, int n, int p, int voxels, int block) {
    Random rnd = new Random(7);
    Matrix x = Matrix.zeros(n, p);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = rnd.nextGaussian();
    }
    Npy.writeMatrix(features, x.data(), n, p, Npy.DType.FLOAT32);
    Npy.createMatrix(responses, n, voxels, Npy.DType.FLOAT32);
    for (int first = 0; first < voxels; first += block) {
      int m = Math.min(block, voxels - first);
      Matrix w = Matrix.zeros(p, m);
      for (int i = 0; i < w.data().length; i++) {
        w.data()[i] = rnd.nextGaussian() * 0.05;
      }
      Matrix y = x.times(w);
      for (int i = 0; i < y.data().length; i++) {
        y.data()[i] += rnd.nextGaussian();
      }
      Npy.writeColumns(responses, first, y.data(), m);
    }
  }
}
