package org.clipmsm.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Writes NSD's design files for a synthetic subject in the real formats: {@code nsd_expdesign.mat} (MAT Level-5,
 * doubles: masterordering 1 x trials, subjectim 8 x images, sharedix, stimpattern 40 x 12 x 75) and
 * {@code nsd_stim_info_merged.csv} with the real columns (subjectS_repR = 1-based trial of the R-th showing, 0 if
 * never shown).
 */
final class NsdDesignFiles {
  private NsdDesignFiles() {}

  /**
   * @param masterordering 1-based 10k-index shown on each trial
   * @param subjectim per subject (8 rows), the 1-based 73k id of each 10k-index
   */
  static void writeExpDesign(Path file, int[] masterordering, int[][] subjectim, int[] sharedix) throws IOException {
    // A fixed header text: the default one carries the creation time, and the same seed must give the same bytes.
    MatFile mat = new us.hebi.matlab.mat.format.Mat5File(
        ", Platform: clipmsm synthetic NSD, Created on: (fixed, so that a seed gives the same bytes)") {};
    Matrix mo = Mat5.newMatrix(1, masterordering.length);
    for (int t = 0; t < masterordering.length; t++) {
      mo.setDouble(0, t, masterordering[t]);
    }
    Matrix si = Mat5.newMatrix(subjectim.length, subjectim[0].length);
    for (int s = 0; s < subjectim.length; s++) {
      for (int k = 0; k < subjectim[s].length; k++) {
        si.setDouble(s, k, subjectim[s][k]);
      }
    }
    Matrix sh = Mat5.newMatrix(1, sharedix.length);
    for (int i = 0; i < sharedix.length; i++) {
      sh.setDouble(0, i, sharedix[i]);
    }
    mat.addArray("masterordering", mo);
    mat.addArray("subjectim", si);
    mat.addArray("sharedix", sh);
    mat.addArray("stimpattern", Mat5.newMatrix(new int[] {40, 12, 75}));
    Mat5.writeToFile(mat, file.toFile());
  }

  /**
   * @param nsdIds the images, one CSV row each
   * @param showings per subject (8), per image row, the 1-based trial numbers of its showings (up to 3)
   */
  static void writeStimInfo(Path file, int[] nsdIds, int[] cocoIds, int[][][] showings) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      StringBuilder h = new StringBuilder(",cocoId,cocoSplit,cropBox,loss,nsdId,flagged,BOLD5000,shared1000");
      for (int s = 1; s <= 8; s++) {
        h.append(",subject").append(s);
      }
      for (int s = 1; s <= 8; s++) {
        for (int r = 0; r < 3; r++) {
          h.append(",subject").append(s).append("_rep").append(r);
        }
      }
      w.write(h.append('\n').toString());
      for (int i = 0; i < nsdIds.length; i++) {
        StringBuilder row = new StringBuilder();
        row.append(i).append(',').append(cocoIds[i]).append(",train2017,\"(0, 0, 0.1, 0.1)\",0.0,")
            .append(nsdIds[i]).append(",False,False,False");
        for (int s = 0; s < 8; s++) {
          row.append(',').append(showings[s][i].length > 0 ? 1 : 0);
        }
        for (int s = 0; s < 8; s++) {
          for (int r = 0; r < 3; r++) {
            row.append(',').append(r < showings[s][i].length ? showings[s][i][r] : 0);
          }
        }
        w.write(row.append('\n').toString());
      }
    }
  }
}
