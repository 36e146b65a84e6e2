package org.clipmsm.netdissect;

import java.nio.file.Path;
import org.clipmsm.io.Npy;

/** The NumPy and Pillow values of src/test/resources/netdissect/make_fixtures.py. */
final class Fixtures {
  private Fixtures() {}

  static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/netdissect/" + name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static float[] floats(String name) {
    double[] d = Npy.readVector(path(name));
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  static long[] longs(String name) {
    return Npy.readLongVector(path(name));
  }

  static double[] doubles(String name) {
    return Npy.readVector(path(name));
  }

  /** A 2-D array, row-major. */
  static double[][] matrix(String name) {
    var header = Npy.readHeader(path(name));
    double[] colMajor = Npy.readMatrix(path(name));
    int rows = (int) header.shape()[0];
    int cols = (int) header.shape()[1];
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i][j] = colMajor[i + j * rows];
      }
    }
    return out;
  }
}
