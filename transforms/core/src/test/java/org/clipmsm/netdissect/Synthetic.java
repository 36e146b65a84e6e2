package org.clipmsm.netdissect;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random probe sets for the tests: annotations of rectangles of labels, maps of several kinds. */
final class Synthetic {
  private Synthetic() {}

  /** 40 concept numbers over 5 categories, a few unscored. */
  static ConceptTable table() {
    int[] cat = new int[40];
    cat[0] = -1;
    for (int c = 1; c < 40; c++) {
      cat[c] = c % 11 == 0 ? -1 : c % 5;
    }
    return new ConceptTable(List.of("object", "part", "color", "scene", "texture"), cat);
  }

  /** An annotation of {@code planes} planes of random rectangles, 0-2 image-level concepts, some categories. */
  static ProbeAnnotation annotation(int sh, int sw, int planes, Random rnd, int concepts) {
    List<int[]> ps = new ArrayList<>();
    for (int p = 0; p < planes; p++) {
      int[] plane = new int[sh * sw];
      int rects = 1 + rnd.nextInt(6);
      for (int r = 0; r < rects; r++) {
        int c = rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(concepts);
        int y0 = rnd.nextInt(sh);
        int x0 = rnd.nextInt(sw);
        int y1 = y0 + 1 + rnd.nextInt(sh - y0);
        int x1 = x0 + 1 + rnd.nextInt(sw - x0);
        for (int y = y0; y < y1; y++) {
          for (int x = x0; x < x1; x++) {
            plane[y * sw + x] = c;
          }
        }
      }
      if (rnd.nextInt(4) == 0) { // salt: single pixels of other labels
        for (int k = 0; k < sh * sw / 10; k++) {
          plane[rnd.nextInt(sh * sw)] = rnd.nextInt(concepts);
        }
      }
      ps.add(plane);
    }
    int scalars = rnd.nextInt(3);
    int[] image = new int[scalars];
    for (int s = 0; s < scalars; s++) {
      image[s] = 1 + rnd.nextInt(concepts - 1);
    }
    int[] cats = rnd.ints(rnd.nextInt(4), 0, 5).distinct().toArray();
    return new ProbeAnnotation(sh, sw, ps, image, cats);
  }

  static List<ProbeAnnotation> annotations(int images, int[][] segSizes, Random rnd, int concepts) {
    List<ProbeAnnotation> out = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      int[] s = segSizes[rnd.nextInt(segSizes.length)];
      out.add(annotation(s[0], s[1], rnd.nextInt(4), rnd, concepts));
    }
    return out;
  }

  /**
   * Maps {@code (images, positions, voxels)}: kind 0 Gaussian, 1 small integers (many ties, values equal to the
   * thresholds), 2 heavy-tailed with a few sharp peaks, 3 constant per image.
   */
  static float[] maps(int images, int positions, int voxels, int kind, Random rnd) {
    float[] m = new float[images * positions * voxels];
    for (int i = 0; i < images; i++) {
      for (int v = 0; v < voxels; v++) {
        float constant = rnd.nextInt(5);
        for (int p = 0; p < positions; p++) {
          float x = switch (kind) {
            case 0 -> (float) rnd.nextGaussian();
            case 1 -> rnd.nextInt(4);
            case 2 -> (float) (rnd.nextDouble() < 0.02 ? 50 * rnd.nextDouble() : Math.tan(rnd.nextDouble() - 0.5));
            default -> constant;
          };
          m[(i * positions + p) * voxels + v] = x;
        }
      }
    }
    return m;
  }
}
