package org.clipmsm.synth;

import java.util.List;
import java.util.Random;
import org.clipmsm.io.CiftiXml;

/**
 * The cortical grayordinates of a synthetic NOD subject: two surface brain models, CORTEX_LEFT then CORTEX_RIGHT, as
 * ciftify writes them on fsLR 32k (29,696 and 29,716 of 32,492 vertices each, the medial wall left out). Smaller
 * spaces keep the same shape: each hemisphere holds about 91% of its surface's vertices, chosen by the seed.
 */
public final class SurfaceSpace {
  /** fsLR 32k: vertices per hemisphere, and the standard HCP cortical grayordinates of each. */
  public static final int FSLR_VERTICES = 32492;
  public static final int FSLR_LEFT = 29696;
  public static final int FSLR_RIGHT = 29716;

  private SurfaceSpace() {}

  /** The brain models of {@code grayordinates} cortical grayordinates (59,412 gives fsLR 32k's exact counts). */
  public static CiftiXml cortex(int grayordinates, Random rnd) {
    int left;
    int right;
    int vertices;
    if (grayordinates == FSLR_LEFT + FSLR_RIGHT) {
      left = FSLR_LEFT;
      right = FSLR_RIGHT;
      vertices = FSLR_VERTICES;
    } else {
      left = grayordinates / 2;
      right = grayordinates - left;
      vertices = (int) Math.ceil(right * (double) FSLR_VERTICES / FSLR_RIGHT);
    }
    return CiftiXml.space(List.of(
        hemisphere(0, left, "CIFTI_STRUCTURE_CORTEX_LEFT", vertices, rnd),
        hemisphere(left, right, "CIFTI_STRUCTURE_CORTEX_RIGHT", vertices, rnd)));
  }

  /** {@code count} of the surface's vertices, ascending: a seeded selection sampling (Knuth's algorithm S). */
  private static CiftiXml.BrainModel hemisphere(int offset, int count, String structure, int vertices, Random rnd) {
    int[] chosen = new int[count];
    int taken = 0;
    for (int v = 0; v < vertices && taken < count; v++) {
      if (rnd.nextInt(vertices - v) < count - taken) {
        chosen[taken++] = v;
      }
    }
    return new CiftiXml.BrainModel(offset, count, "CIFTI_MODEL_TYPE_SURFACE", structure, vertices, chosen, null);
  }
}
