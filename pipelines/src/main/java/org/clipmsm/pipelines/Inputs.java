package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;

/** Checks of input files that several pipelines share; each error names the file and what was expected. */
final class Inputs {
  private Inputs() {}

  /** The header of a 2-D .npy file. */
  static NpyHeader matrix(Path file, String what) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != 2) {
      throw new InvalidInputException(file.getFileName() + ": expected a 2-D array (" + what + "), found shape "
          + Arrays.toString(h.shape()));
    }
    return h;
  }

  /** A whole 2-D .npy file whose values are all finite. */
  static Matrix finiteMatrix(Path file, String what, String values) {
    NpyHeader h = matrix(file, what);
    Matrix m = new Matrix(h.rows(), h.cols(), Npy.readMatrix(file));
    m.requireFinite(file.getFileName().toString(), values, 0);
    return m;
  }

  /** Rows of {@code file} must be the images of {@code reference}, in the same order. */
  static void sameImages(Path file, int rows, Path reference, int images) {
    if (rows != images) {
      throw new InvalidInputException(file.getFileName() + ": " + rows + " rows (images), but "
          + reference.getFileName() + " has " + images + " (expected the same images in the same order)");
    }
  }

  /**
   * Per-voxel ncsnr: non-negative where defined (NaN marks a voxel without one), one per voxel of {@code responses}
   * when that is given.
   */
  static double[] ncsnr(Path file, long voxels, Path responses) {
    double[] v = Npy.readVector(file);
    if (responses != null && v.length != voxels) {
      throw new InvalidInputException(file.getFileName() + ": " + v.length + " values, but " + responses.getFileName()
          + " has " + voxels + " voxels (expected one ncsnr per voxel)");
    }
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0 || Double.isInfinite(v[i])) {
        throw new InvalidInputException(file.getFileName() + ": ncsnr " + v[i] + " at voxel " + i
            + " (expected a finite number >= 0, or NaN where a voxel has none)");
      }
    }
    return v;
  }
}
