package org.clipmsm.netdissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counts and IoU on maps small enough to work out by hand. Maps are 2 x 2 and so are the segmentations, so the resize
 * is the identity and a mask is simply {@code map > T}.
 *
 * <pre>
 * concepts: 1 dog (object), 2 wheel (part), 3 red (color), 4 kitchen (scene, image-level), 5 unscored, 6 cat (object,
 * never present); categories 0 object, 1 part, 2 color, 3 scene.
 * image A: object [1 1 / 0 0], part [0 2 / 0 2], image-level kitchen; annotated object, part, scene
 * image B: object [0 0 / 1 1], color [3 3 / 3 5]; annotated object, color
 * voxel 0: A [.9 .1 / .8 .2] -> mask {0, 2};  B [.7 .9 / .1 .1] -> mask {0, 1}
 * voxel 1: A all 0           -> no mask;     B [.1 .1 / .9 .9] -> mask {2, 3}
 * voxel 2: all 0 in both images (never on)
 * </pre>
 */
class IouByHandTest {
  static final ConceptTable TABLE = new ConceptTable(List.of("object", "part", "color", "scene"),
      new int[] {-1, 0, 1, 2, 3, -1, 0});

  static final List<ProbeAnnotation> IMAGES = List.of(
      new ProbeAnnotation(2, 2, List.of(new int[] {1, 1, 0, 0}, new int[] {0, 2, 0, 2}), new int[] {4},
          new int[] {0, 1, 3}),
      new ProbeAnnotation(2, 2, List.of(new int[] {0, 0, 1, 1}, new int[] {3, 3, 3, 5}), new int[0],
          new int[] {0, 2}));

  /** (image, position, voxel), voxel innermost. */
  static final float[] MAPS = {
      .9f, 0, 0, .1f, 0, 0, .8f, 0, 0, .2f, 0, 0, // image A
      .7f, .1f, 0, .9f, .1f, 0, .1f, .9f, 0, .1f, .9f, 0}; // image B

  static ConceptTally tally(NetDissection.UnitArea rule) {
    ConceptTally t = ConceptTally.create(TABLE, new double[] {0.5, 0.5, 0.5}, rule);
    t.add(MAPS, 2, 2, IMAGES);
    return t;
  }

  @Test
  void countsAndIouWorkedByHand() {
    ConceptTally t = tally(NetDissection.UnitArea.ANNOTATED_IMAGES);
    // Concept areas: dog 2 + 2, wheel 2, red 3, kitchen the 4 pixels of A, cat none.
    assertEquals(4, t.conceptArea(1));
    assertEquals(2, t.conceptArea(2));
    assertEquals(3, t.conceptArea(3));
    assertEquals(4, t.conceptArea(4));
    assertEquals(0, t.conceptArea(6));
    // Voxel 0: dog at A's pixel 0; red at B's pixels 0 and 1; kitchen covers A's 2 mask pixels.
    assertEquals(1, t.intersection(0, 1));
    assertEquals(0, t.intersection(0, 2));
    assertEquals(2, t.intersection(0, 3));
    assertEquals(2, t.intersection(0, 4));
    assertEquals(0, t.intersection(0, 5), "unscored concepts are not counted");
    assertEquals(4, t.maskPixels(0));
    // Mask pixels in images annotated with: object A + B, part A, color B, scene A.
    assertEquals(4, t.unitArea(0, 0));
    assertEquals(2, t.unitArea(0, 1));
    assertEquals(2, t.unitArea(0, 2));
    assertEquals(2, t.unitArea(0, 3));
    assertEquals(1 / (4 + 4 - 1 + 1e-10), t.iou(0, 1), 0.0);
    assertEquals(0.0, t.iou(0, 2), 0.0);
    assertEquals(2 / (2 + 3 - 2 + 1e-10), t.iou(0, 3), 0.0);
    assertEquals(2 / (2 + 4 - 2 + 1e-10), t.iou(0, 4), 0.0);
    assertEquals(new VoxelLabel(3, 2, 2 / (3 + 1e-10), true), t.label(0, 0.04));
    assertFalse(t.label(0, 0.7).interpretable(), "2/3 is below 0.7");

    // Voxel 1: dog at B's pixels 2 and 3, red at pixel 2 only; B is annotated object and color.
    assertEquals(2, t.intersection(1, 1));
    assertEquals(1, t.intersection(1, 3));
    assertEquals(2, t.unitArea(1, 0));
    assertEquals(0, t.unitArea(1, 1));
    assertEquals(2, t.unitArea(1, 2));
    assertEquals(2 / (2 + 4 - 2 + 1e-10), t.iou(1, 1), 0.0);
    assertEquals(1 / (2 + 3 - 1 + 1e-10), t.iou(1, 3), 0.0);
    assertEquals(new VoxelLabel(1, 0, 2 / (4 + 1e-10), true), t.label(1, 0.04));

    // Voxel 2: 0 / (0 + 0 - 0 + 1e-10) = 0 for cat; no concept at all.
    assertEquals(0.0, t.iou(2, 6), 0.0);
    assertEquals(new VoxelLabel(0, -1, 0.0, false), t.label(2, 0.0));
  }

  /** NetDissect-Lite's tally_job: an image counts for category k only where the mask meets a concept of k. */
  @Test
  void matchedImagesRuleWorkedByHand() {
    ConceptTally t = tally(NetDissection.UnitArea.MATCHED_IMAGES);
    // Voxel 0 meets dog in A (object) and kitchen is image-level (scene); in B it meets only red (color).
    assertEquals(2, t.unitArea(0, 0));
    assertEquals(0, t.unitArea(0, 1));
    assertEquals(2, t.unitArea(0, 2));
    assertEquals(2, t.unitArea(0, 3));
    assertEquals(1 / (2 + 4 - 1 + 1e-10), t.iou(0, 1), 0.0);
    assertEquals(2 / (2 + 3 - 2 + 1e-10), t.iou(0, 3), 0.0);
    // Voxel 1 meets dog and red in B: the same as under the annotated rule.
    assertEquals(2, t.unitArea(1, 0));
    assertEquals(2, t.unitArea(1, 2));
  }

  /** Equal IoUs go to the lower concept number. */
  @Test
  void tiesGoToTheLowerConcept() {
    ConceptTable table = new ConceptTable(List.of("object"), new int[] {-1, 0, 0, 0});
    // One image, 1 x 2; concepts 3 and 2 each cover one pixel, the mask covers both: IoU 1/2 each.
    ProbeAnnotation a = new ProbeAnnotation(1, 2, List.of(new int[] {3, 2}), new int[0], new int[] {0});
    ConceptTally t = ConceptTally.create(table, new double[] {0}, NetDissection.UnitArea.ANNOTATED_IMAGES);
    t.add(new float[] {1, 1}, 1, 2, List.of(a));
    assertEquals(t.iou(0, 2), t.iou(0, 3), 0.0);
    assertEquals(2, t.label(0, 0.04).concept());
  }

  /**
   * Through the resize, by hand: a 1 x 2 map [1, 0] grows to 1 x 4 as [1, .75, .25, 0] (see PilFloatResizeTest), so
   * with T = 0.5 the mask is the first two pixels.
   */
  @Test
  void upsampledMaskWorkedByHand() {
    ConceptTable table = new ConceptTable(List.of("object", "color"), new int[] {-1, 0, 1, 0});
    ProbeAnnotation a = new ProbeAnnotation(1, 4, List.of(new int[] {1, 3, 1, 0}, new int[] {0, 2, 2, 2}),
        new int[0], new int[] {0, 1});
    ConceptTally t = ConceptTally.create(table, new double[] {0.5, 0.75, 0.74}, NetDissection.UnitArea.ANNOTATED_IMAGES);
    // Voxels: 0 with T 0.5; 1 with T 0.75 (pixel 1 is exactly 0.75: not above); 2 with T 0.74.
    t.add(new float[] {1, 1, 1, 0, 0, 0}, 1, 2, List.of(a));
    assertEquals(2, t.maskPixels(0));
    assertEquals(1, t.intersection(0, 1));
    assertEquals(1, t.intersection(0, 3));
    assertEquals(1, t.intersection(0, 2));
    assertEquals(1, t.maskPixels(1));
    assertEquals(2, t.maskPixels(2));
    assertTrue(t.iou(0, 3) > 0.49 && t.iou(0, 3) < 0.5, "1 / (2 + 1 - 1)");
  }
}
