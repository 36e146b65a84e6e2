package org.clipmsm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MGH/MGZ files written by nibabel (src/test/resources/mgh/make_fixtures.py) and our writer. */
class MghTest {
  @TempDir
  Path tmp;

  private static Path fixture(String name) throws Exception {
    return Path.of(MghTest.class.getResource("/mgh/" + name).toURI());
  }

  /** The fixtures' formula, column-major over (x, y, z, t). */
  private static double[] grid(int nx, int ny, int nz, int nt, double scale) {
    double[] out = new double[nx * ny * nz * nt];
    int p = 0;
    for (int t = 0; t < nt; t++) {
      for (int k = 0; k < nz; k++) {
        for (int j = 0; j < ny; j++) {
          for (int i = 0; i < nx; i++) {
            out[p++] = (i + 10 * j + 100 * k + 1000 * t - 7) * scale;
          }
        }
      }
    }
    return out;
  }

  @Test
  void readsNibabelFiles() throws Exception {
    assertArrayEquals(grid(6, 1, 1, 4, 0.25), Mgh.readData(fixture("overlay.mgh")), 0);
    Mgh.Header h = Mgh.readHeader(fixture("volume.mgz"));
    assertArrayEquals(new int[] {4, 3, 2, 1}, h.dims());
    assertEquals(Mgh.INT16, h.type());
    assertArrayEquals(grid(4, 3, 2, 1, 1), Mgh.readData(fixture("volume.mgz")), 0);
    double[] expected = Files.readAllLines(fixture("volume_header.txt")).stream()
        .mapToDouble(Double::parseDouble).toArray();
    float[] got = new float[15];
    System.arraycopy(h.delta(), 0, got, 0, 3);
    System.arraycopy(h.mdc(), 0, got, 3, 9);
    System.arraycopy(h.center(), 0, got, 12, 3);
    for (int i = 0; i < 15; i++) {
      assertEquals(expected[i], got[i], 1e-6, "header value " + i);
    }
  }

  @Test
  void framesOfChosenVertices() throws Exception {
    // Vertices 4 and 1 of the overlay, every frame: result[t + 4 * k].
    double[] got = Mgh.readFrames(fixture("overlay.mgh"), new int[] {4, 1});
    double[] want = new double[8];
    for (int t = 0; t < 4; t++) {
      want[t] = (4 + 1000 * t - 7) * 0.25;
      want[t + 4] = (1 + 1000 * t - 7) * 0.25;
    }
    assertArrayEquals(want, got, 0);
  }

  @Test
  void writerRoundTripsWithTheSourceGeometry() throws Exception {
    Mgh.Header like = Mgh.readHeader(fixture("volume.mgz"));
    double[] data = grid(4, 3, 2, 3, 0.5);
    for (String name : new String[] {"out.mgh", "out.mgz"}) {
      Path f = tmp.resolve(name);
      Mgh.write(f, new int[] {4, 3, 2, 3}, data, Mgh.FLOAT32, like);
      assertArrayEquals(data, Mgh.readData(f), 0);
      Mgh.Header back = Mgh.readHeader(f);
      assertArrayEquals(like.mdc(), back.mdc());
      assertArrayEquals(like.delta(), back.delta());
      assertArrayEquals(like.center(), back.center());
    }
    // gzip only when asked by the name
    assertEquals(0x1f, Files.readAllBytes(tmp.resolve("out.mgz"))[0] & 0xff);
    assertEquals(0, Files.readAllBytes(tmp.resolve("out.mgh"))[0]);
    // Checked once with nibabel when this test was written: nib.load("out.mgz").get_fdata() equals the grid.
  }

  @Test
  void badFiles() throws Exception {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Mgh.readData(fixture("truncated.mgz")));
    assertTrue(e.getMessage().contains("truncated.mgz"), e.getMessage());
    Path notMgh = tmp.resolve("x.mgh");
    Files.write(notMgh, new byte[300]);
    e = assertThrows(InvalidInputException.class, () -> Mgh.readHeader(notMgh));
    assertTrue(e.getMessage().contains("x.mgh: not an MGH file"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> Mgh.readFrames(fixture("overlay.mgh"), new int[] {6}));
    assertTrue(e.getMessage().contains("voxel 6 out of range"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Mgh.write(tmp.resolve("bad.mgh"), new int[] {2, 2, 1, 1}, new double[3], Mgh.FLOAT32, null));
    assertFalse(Files.exists(tmp.resolve("bad.mgh")));
  }
}
