package org.clipmsm.nsd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Reads the trial -> image table of one subject from nsd_expdesign.mat (MATLAB Level 5, as NSD distributes it):
 * {@code nsdId(t) = subjectim[subject-1][masterordering[t]-1] - 1}.
 */
final class ExpDesignMat {
  /** Level-5 headers begin with 116 bytes of text; v7.3 files are HDF5 with a text header saying so. */
  private static final int HEADER_TEXT_BYTES = 116;

  private ExpDesignMat() {}

  static int[] trialNsdIds(Path file, int subject, int sessions) {
    checkLevel5(file);
    Mat5File mat;
    try {
      mat = Mat5.readFromFile(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file + ": not a readable MATLAB Level-5 MAT-file (" + e + ")", e);
    }
    try (mat) {
      Matrix order = matrix(mat, file, "masterordering");
      if (order.getNumElements() != NsdDesign.TOTAL_TRIALS || !isVector(order)) {
        throw new InvalidInputException(file + ": masterordering: expected a 1x" + NsdDesign.TOTAL_TRIALS
            + " vector, found " + dims(order));
      }
      Matrix subjectim = matrix(mat, file, "subjectim");
      if (subjectim.getNumDimensions() != 2 || subjectim.getNumRows() != NsdDesign.SUBJECTS
          || subjectim.getNumCols() != NsdDesign.IMAGES_PER_SUBJECT) {
        throw new InvalidInputException(file + ": subjectim: expected " + NsdDesign.SUBJECTS + "x"
            + NsdDesign.IMAGES_PER_SUBJECT + ", found " + dims(subjectim));
      }
      int[] out = new int[sessions * NsdDesign.TRIALS_PER_SESSION];
      for (int t = 0; t < out.length; t++) {
        int k = wholeNumber(file, "masterordering", t, order.getDouble(t), 1, NsdDesign.IMAGES_PER_SUBJECT);
        // subjectim is 8 x 10000, indexed (subject-1, k-1); its values are 1-based 73k ids.
        int id73k = wholeNumber(file, "subjectim", (k - 1) * NsdDesign.SUBJECTS + subject - 1,
            subjectim.getDouble(subject - 1, k - 1), 1, NsdDesign.TOTAL_IMAGES);
        out[t] = id73k - 1;
      }
      return out;
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot close the MAT-file (" + e + ")", e);
    }
  }

  /** Rejects v7.3 (HDF5) files up front with a clear message; mfl-core reads Level 5 only. */
  private static void checkLevel5(Path file) {
    byte[] head = new byte[HEADER_TEXT_BYTES];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read (" + e + ")", e);
    }
    String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
    if (text.startsWith("MATLAB 7.3")) {
      throw new InvalidInputException(file + ": is a MAT v7.3 (HDF5) file; expected MATLAB Level 5"
          + " (nsd_expdesign.mat as distributed, or save with -v7)");
    }
    if (!text.startsWith("MATLAB 5.0")) {
      throw new InvalidInputException(file + ": not a MATLAB Level-5 MAT-file (the header does not start with"
          + " 'MATLAB 5.0')");
    }
  }

  private static Matrix matrix(MatFile mat, Path file, String name) {
    for (MatFile.Entry e : mat.getEntries()) {
      if (e.getName().equals(name)) {
        Array a = e.getValue();
        if (!(a instanceof Matrix m) || m.isComplex()) {
          throw new InvalidInputException(file + ": " + name + ": expected a real numeric matrix, found "
              + a.getType());
        }
        return m;
      }
    }
    throw new InvalidInputException(file + ": missing variable '" + name + "' (expected nsd_expdesign.mat)");
  }

  private static boolean isVector(Matrix m) {
    return m.getNumDimensions() == 2 && (m.getNumRows() == 1 || m.getNumCols() == 1);
  }

  private static String dims(Array a) {
    return Arrays.toString(a.getDimensions()).replace(", ", "x").replace("[", "").replace("]", "");
  }

  private static int wholeNumber(Path file, String name, int index, double v, int min, int max) {
    if (!(v >= min && v <= max && v == Math.rint(v))) {
      throw new InvalidInputException(file + ": " + name + ": expected whole numbers " + min + ".." + max
          + ", found " + v + " at linear index " + index);
    }
    return (int) v;
  }
}
