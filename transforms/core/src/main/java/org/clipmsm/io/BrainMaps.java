package org.clipmsm.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;

/**
 * Per-voxel results written back into the subject's space, so that nibabel, FSLeyes, Connectome Workbench and
 * pycortex open them: a NIfTI-1 float32 volume on a source volume's grid and affine (NSD), or a CIFTI-2 dscalar over
 * a source file's brain models (NOD). Voxels without a value are NaN (shown as empty, never as a silent 0).
 */
public final class BrainMaps {
  private BrainMaps() {}

  /**
   * @param like a NIfTI (volume) or CIFTI (.dscalar.nii / .dlabel.nii / .dtseries.nii) file of the subject's space
   * @param voxels linear NIfTI indices (i + X (j + Y k)) or grayordinate indices, one per row of {@code values}
   * @param values voxels x maps, column-major (one map: a vector)
   * @param names map names (CIFTI); for a volume with several maps they become the 4th dimension in this order
   */
  public static void write(Path out, Path like, int[] voxels, double[] values, List<String> names) {
    int maps = names.size();
    if ((long) voxels.length * maps != values.length) {
      throw new InvalidParameterException("values", values.length + " numbers for " + voxels.length + " voxels x "
          + maps + " maps (expected one per voxel and map)");
    }
    NiftiHeader h = Nifti.readHeader(like);
    if (isCifti(h)) {
      CiftiXml xml = Cifti.readXml(like);
      int gray = xml.grayordinates();
      double[] data = new double[maps * gray];
      Arrays.fill(data, Double.NaN);
      for (int k = 0; k < voxels.length; k++) {
        check(voxels[k], gray, like, "grayordinate");
        for (int m = 0; m < maps; m++) {
          data[m + maps * voxels[k]] = values[k + voxels.length * m];
        }
      }
      Cifti.writeScalars(out, names, data, xml);
      return;
    }
    long[] d = h.dims();
    if (d.length < 3) {
      throw new InvalidInputException(like + ": a " + d.length + "-D image (expected a volume of the subject's grid)");
    }
    int spatial = Math.toIntExact(d[0] * d[1] * d[2]);
    double[] data = new double[spatial * maps];
    Arrays.fill(data, Double.NaN);
    for (int k = 0; k < voxels.length; k++) {
      check(voxels[k], spatial, like, "voxel");
      for (int m = 0; m < maps; m++) {
        data[voxels[k] + spatial * m] = values[k + voxels.length * m];
      }
    }
    long[] dims = maps == 1 ? new long[] {d[0], d[1], d[2]} : new long[] {d[0], d[1], d[2], maps};
    Nifti.write(out, dims, data, 16, h);
  }

  /** How many voxels (NIfTI: X Y Z) or grayordinates (CIFTI) the space of {@code like} has. */
  public static int size(Path like) {
    NiftiHeader h = Nifti.readHeader(like);
    if (isCifti(h)) {
      return Cifti.readXml(like).grayordinates();
    }
    long[] d = h.dims();
    if (d.length < 3) {
      throw new InvalidInputException(like + ": a " + d.length + "-D image (expected a volume of the subject's grid)");
    }
    return Math.toIntExact(d[0] * d[1] * d[2]);
  }

  private static boolean isCifti(NiftiHeader h) {
    return h.version() == 2 && h.extensions().stream().anyMatch(e -> e.code() == Cifti.EXTENSION_CODE);
  }

  private static void check(int index, int size, Path like, String what) {
    if (index < 0 || index >= size) {
      throw new InvalidParameterException("voxels", what + " " + index + " is outside " + like.getFileName() + " (0.."
          + (size - 1) + ")");
    }
  }
}
