package org.clipmsm.nsd;

import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.NiftiHeader;
import org.clipmsm.nsd.NsdBetasHdf5;
import org.clipmsm.linalg.Matrix;

/**
 * The paper's NSD responses for a block of ROI voxels: each session's betas of those voxels only (percent signal
 * change: int16 / 300), z-scored within session or run, then the repetitions of each image averaged. Rows follow
 * {@link NsdDesign#images()} (ascending nsdId); holds one block's trials at a time, never the whole brain.
 */
public final class NsdPrepare {
  private NsdPrepare() {}

  /** images x voxels of the block (linear NIfTI indices), column-major. */
  public static Matrix block(NsdSubject subject, int[] voxels, ResponsePreprocessing.ZScore mode) {
    int t750 = NsdDesign.TRIALS_PER_SESSION;
    List<Path> files = subject.sessionFiles();
    int trials = files.size() * t750;
    double[] betas = new double[trials * voxels.length];
    for (int s = 0; s < files.size(); s++) {
      double[] session = readSession(files.get(s), voxels, subject.isHdf5());
      for (int v = 0; v < voxels.length; v++) {
        System.arraycopy(session, v * t750, betas, v * trials + s * t750, t750);
      }
    }
    ResponsePreprocessing.zScore(betas, voxels.length, subject.design().trials(), mode);
    double[] avg = ResponsePreprocessing.averageRepetitions(betas, voxels.length, subject.design());
    return new Matrix(subject.design().images().length, voxels.length, avg);
  }

  /** One session's 750 trials x voxels (trials fastest), in percent signal change. */
  static double[] readSession(Path file, int[] voxels, boolean hdf5) {
    int t750 = NsdDesign.TRIALS_PER_SESSION;
    if (hdf5) {
      try (NsdBetasHdf5 b = NsdBetasHdf5.open(file)) {
        if (b.trials() != t750) {
          throw new InvalidInputException(file + ": " + b.trials() + " trials (expected 750 per session)");
        }
        return b.readVoxels(voxels);
      }
    }
    NiftiHeader h = Nifti.readHeader(file);
    long[] dims = h.dims();
    if (dims.length != 4 || dims[3] != t750) {
      throw new InvalidInputException(file + ": shape " + java.util.Arrays.toString(dims)
          + " (expected X x Y x Z x 750)");
    }
    double[] byVolume = Nifti.readMasked(file, voxels); // [v + n t]
    // int16 x 300 unless the file's own scaling converts it (NSD: the x300 is not in scl_slope; a slope of 1 with no
    // intercept, as many writers store, is no conversion). Divided, not multiplied by 1/300, so that both formats
    // give the same doubles.
    boolean converts = h.isScaled() && !(h.sclSlope() == 1 && h.sclInter() == 0);
    double divisor = converts ? 1 : NsdBetasHdf5.SCALE;
    int n = voxels.length;
    double[] out = new double[n * t750];
    for (int t = 0; t < t750; t++) {
      for (int v = 0; v < n; v++) {
        out[t + t750 * v] = byVolume[v + n * t] / divisor;
      }
    }
    return out;
  }
}
