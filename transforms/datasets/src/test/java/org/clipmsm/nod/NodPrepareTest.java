package org.clipmsm.nod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.synth.SurfaceSpace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny NOD subject in the ciftify layout (9 grayordinates) prepared against a hand computation. */
class NodPrepareTest {
  @TempDir
  Path root;
  CiftiXml space;
  Path results;

  private void run(String name, String[] stimuli, double[] mapsByGray) throws Exception {
    Path d = results.resolve(name);
    Files.createDirectories(d);
    List<String> names = java.util.Arrays.stream(stimuli).toList();
    Cifti.writeScalars(d.resolve(name + "_beta.dscalar.nii"), names, mapsByGray, space);
    Files.writeString(d.resolve(name + "_label.txt"), String.join("\n", names) + "\n");
  }

  /** Map m, grayordinate g value f(m, g), column-major maps x 9. */
  private static double[] values(int maps, java.util.function.IntBinaryOperator f) {
    double[] v = new double[maps * 9];
    for (int g = 0; g < 9; g++) {
      for (int m = 0; m < maps; m++) {
        v[m + maps * g] = f.applyAsInt(m, g);
      }
    }
    return v;
  }

  @BeforeEach
  void layout() throws Exception {
    space = SurfaceSpace.cortex(9, new java.util.Random(1));
    results = root.resolve("derivatives/ciftify/sub-02/results");
    run("ses-imagenet01_task-imagenet_run-1", new String[] {"imagenet/n1/n1_1.JPEG", "n2_7.JPEG", "n3_3.JPEG"},
        values(3, (m, g) -> m * m + g));
    run("ses-imagenet01_task-imagenet_run-2", new String[] {"n4_1.JPEG", "n5_2.JPEG"}, values(2, (m, g) -> 5 * m - g));
    run("ses-coco_task-coco_run-1", new String[] {"a.jpg", "b.jpg", "c.jpg"}, values(3, (m, g) -> m == 2 ? 5 : m));
    run("ses-coco_task-coco_run-2", new String[] {"c.jpg", "a.jpg"}, values(2, (m, g) -> 2 + 2 * m));
    Path floc = results.resolve("ses-floc_task-floc");
    Files.createDirectories(floc);
    List<CiftiXml.Label> table = List.of(new CiftiXml.Label(0, "???", 1, 1, 1, 0), new CiftiXml.Label(1, "FFA", 1, 0,
        0, 1));
    Cifti.writeLabels(floc.resolve("floc-faces.dlabel.nii"), "faces", table, new double[] {0, 1, 1, 0, 0, 0, 0, 1, 0},
        space);
    Cifti.writeLabels(floc.resolve("floc-places.dlabel.nii"), "places", table, new double[] {0, 0, 1, 0, 1, 0, 0, 0, 0},
        space);
  }

  @Test
  void stacksImagenetThenAveragedCoco() {
    NodSubject s = NodSubject.open(root, 2);
    assertArrayEquals(new int[] {1, 2, 4, 7}, s.rois().voxels());
    assertEquals(List.of("floc-faces", "floc-places"), s.rois().names());
    NodPrepare.Rows rows = NodPrepare.rows(s);
    assertEquals(List.of("n1_1.JPEG", "n2_7.JPEG", "n3_3.JPEG", "n4_1.JPEG", "n5_2.JPEG", "a.jpg", "b.jpg", "c.jpg"),
        rows.stimuli());
    assertEquals(List.of(1, 1, 1, 1, 1, 2, 1, 2), rows.repetitions());
    Matrix m = NodPrepare.block(s, new int[] {2, 7});
    assertEquals(8, m.rows());
    // ImageNet run 1 at grayordinate 2: maps 2, 3, 6; z with the population sd.
    double mean = 11.0 / 3;
    double sd = Math.sqrt(((2 - mean) * (2 - mean) + (3 - mean) * (3 - mean) + (6 - mean) * (6 - mean)) / 3);
    assertEquals((6 - mean) / sd, m.get(2, 0), 1e-12);
    // ImageNet run 2: two maps -> z = -1, +1 at every grayordinate.
    assertEquals(-1, m.get(3, 1), 1e-12);
    assertEquals(1, m.get(4, 1), 1e-12);
    // COCO: run 1 (a, b, c) = (0, 1, 5), run 2 (c, a) = (2, 4) -> z2 = (-1, 1); a, c averaged over both runs.
    double s1 = Math.sqrt(14.0 / 3);
    assertEquals((-2 / s1 + 1) / 2, m.get(5, 0), 1e-12);
    assertEquals(-1 / s1, m.get(6, 1), 1e-12);
    assertEquals((3 / s1 - 1) / 2, m.get(7, 0), 1e-12);
  }

  @Test
  void aCorruptRoiFileIsNamed() throws Exception {
    Path floc = results.resolve("ses-floc_task-floc/floc-words.dlabel.nii");
    Files.write(floc, new byte[] {1, 2, 3});
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NodSubject.open(root, 2));
    assertTrue(e.getMessage().contains("floc-words.dlabel.nii"), e.getMessage());
  }
}
