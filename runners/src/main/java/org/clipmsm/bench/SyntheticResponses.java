package org.clipmsm.bench;

import java.nio.file.Path;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.linalg.Matrix;

/** Benchmark inputs: Gaussian features and responses = features x random weights + noise, written as float32 .npy. */
public final class SyntheticResponses {
  private SyntheticResponses() {}

  public static void write(Path features, Path responses, int n, int p, int voxels, int block) {
    Random rnd = new Random(7);
    Matrix x = features(n, p, rnd);
    Npy.writeMatrix(features, x.data(), n, p, Npy.DType.FLOAT32);
    NpyRanges.createMatrix(responses, n, voxels, Npy.DType.FLOAT32);
    for (int first = 0; first < voxels; first += block) {
      int m = Math.min(block, voxels - first);
      NpyRanges.writeColumns(responses, first, block(x, m, rnd).data(), m);
    }
  }

  /** Standard Gaussian features, images x features. */
  public static Matrix features(int n, int p, Random rnd) {
    Matrix x = Matrix.zeros(n, p);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = rnd.nextGaussian();
    }
    return x;
  }

  /** m voxels: x times weights ~ N(0, 0.05^2), plus unit Gaussian noise. */
  public static Matrix block(Matrix x, int m, Random rnd) {
    Matrix w = Matrix.zeros(x.cols(), m);
    for (int i = 0; i < w.data().length; i++) {
      w.data()[i] = rnd.nextGaussian() * 0.05;
    }
    Matrix y = x.times(w);
    for (int i = 0; i < y.data().length; i++) {
      y.data()[i] += rnd.nextGaussian();
    }
    return y;
  }
}
