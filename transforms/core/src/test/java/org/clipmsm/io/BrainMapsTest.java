package org.clipmsm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrainMapsTest {
  @TempDir
  Path tmp;

  private static Path resource(String name) throws Exception {
    return Path.of(BrainMapsTest.class.getResource(name).toURI());
  }

  @Test
  void volumeMapsKeepTheSourceGridAndAffine() throws Exception {
    Path like = resource("/nifti/int16_scaled.nii");
    NiftiHeader h = Nifti.readHeader(like);
    long[] d = h.dims();
    int[] voxels = {0, 7, (int) (d[0] * d[1] * d[2] - 1)};
    double[] values = {0.5, -1.25, 3, 10, 20, 30}; // two maps
    Path out = tmp.resolve("map.nii.gz");
    BrainMaps.write(out, like, voxels, values, List.of("r2", "nc"));
    NiftiHeader back = Nifti.readHeader(out);
    assertArrayEquals(new long[] {d[0], d[1], d[2], 2}, back.dims());
    for (int r = 0; r < 4; r++) {
      assertArrayEquals(h.affine()[r], back.affine()[r], 1e-5);
    }
    double[] data = Nifti.readData(out);
    int spatial = (int) (d[0] * d[1] * d[2]);
    assertEquals(-1.25, data[7], 0);
    assertEquals(30, data[voxels[2] + spatial], 0);
    assertTrue(Double.isNaN(data[1]) && Double.isNaN(data[spatial + 1]), "no value: NaN");
  }

  @Test
  void surfaceMapsUseTheSourceBrainModels() throws Exception {
    Path like = resource("/cifti/faces.dlabel.nii");
    Path out = tmp.resolve("map.dscalar.nii");
    BrainMaps.write(out, like, new int[] {8, 2}, new double[] {1.5, -2}, List.of("faces"));
    Cifti.Dense back = Cifti.read(out);
    assertEquals(9, back.grayordinates());
    assertEquals(1.5, back.data()[8], 0);
    assertEquals(-2, back.data()[2], 0);
    assertTrue(Double.isNaN(back.data()[0]));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BrainMaps.write(tmp.resolve("x.dscalar.nii"), like, new int[] {9}, new double[] {1}, List.of("a")));
    assertTrue(e.getMessage().contains("grayordinate 9 is outside faces.dlabel.nii"), e.getMessage());
  }
}
