package org.clipmsm.nsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;

class NsdRoisTest {
  @Test
  void unionKeepsEveryMembership() {
    Map<String, int[]> rois = new LinkedHashMap<>();
    rois.put("floc-faces", new int[] {-1, 0, 2, 2, 0, 1, 0});
    rois.put("floc-places", new int[] {-1, 3, 0, 1, 0, 0, 0});
    rois.put("food", new int[] {0, 0, 0, 1, 0, 0, 1});
    NsdRois.Union u = NsdRois.union(rois);
    assertArrayEquals(new int[] {1, 2, 3, 5, 6}, u.voxels());
    assertEquals(List.of("floc-faces", "floc-places", "food"), u.names());
    assertArrayEquals(new int[] {0, 2, 2, 1, 0}, u.memberships()[0]);
    assertArrayEquals(new int[] {3, 0, 1, 0, 0}, u.memberships()[1]);
    assertArrayEquals(new int[] {0, 0, 1, 0, 1}, u.memberships()[2]);
    assertEquals("FFA-1", NsdRois.labelName("floc-faces", 2)); // NSD: 1 OFA, 2 FFA-1, 3 FFA-2
    assertEquals("FFA-2", NsdRois.labelName("floc-faces", 3));
    assertEquals("RSC", NsdRois.labelName("floc-places", 3));
    assertEquals("food", NsdRois.labelName("food", 1));
  }

  @Test
  void roisOnAnotherGridAreRejected() {
    Map<String, int[]> rois = new LinkedHashMap<>();
    rois.put("floc-faces", new int[6]);
    rois.put("floc-words", new int[7]);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NsdRois.union(rois));
    assertEquals("floc-words: 7 voxels, but the other ROI volumes have 6 (expected the same grid)", e.getMessage());
  }
}
