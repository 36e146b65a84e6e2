package org.clipmsm.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.io.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slices of a hand-made NIfTI volume: a known voxel becomes a known block of pixels of a known colour. */
class SliceMontageTest {
  @TempDir
  Path tmp;

  private static final int NX = 6;
  private static final int NY = 5;
  private static final int NZ = 4;

  private static int at(int i, int j, int k) {
    return i + NX * (j + NY * k);
  }

  /** NaN everywhere but (2, 3, 1) = 1, (4, 1, 1) = 0 and (1, 1, 2) = 0.5. */
  private Path volume(String name) {
    double[] v = new double[NX * NY * NZ];
    Arrays.fill(v, Double.NaN);
    v[at(2, 3, 1)] = 1;
    v[at(4, 1, 1)] = 0;
    v[at(1, 1, 2)] = 0.5;
    Path file = tmp.resolve(name);
    Nifti.write(file, new long[] {NX, NY, NZ}, v, 16, null);
    return file;
  }

  private static int rgb(BufferedImage img, Point p) {
    return img.getRGB(p.x, p.y) & 0xffffff;
  }

  @Test
  void aKnownVoxelIsAKnownPixelColour() {
    SliceMontage.Volume v = SliceMontage.Volume.read(volume("v.nii.gz"));
    SliceMontage.Rendered r = SliceMontage.render("test", List.of("map"), List.of(v), null, 8);
    SliceMontage.Layout l = r.layout();
    assertArrayEquals(new int[] {1, 2}, l.slices(), "only the slices that hold values");
    // Cropped to the voxels with values and one voxel around them: i 0..5, j 0..4.
    assertEquals(List.of(0, 5, 0, 4), List.of(l.i0(), l.i1(), l.j0(), l.j1()));
    BufferedImage img = r.image();
    assertEquals(l.width(), img.getWidth());
    assertEquals(l.height(), img.getHeight());
    assertEquals(0xfde725, rgb(img, l.pixel(0, 2, 3, 1)), "1 is viridis' yellow");
    assertEquals(0x440154, rgb(img, l.pixel(0, 4, 1, 1)), "0 is viridis' purple");
    assertEquals(ColorScale.rgb(0.5), rgb(img, l.pixel(0, 1, 1, 2)), "0.5");
    assertEquals(0x26828e, ColorScale.rgb(0.5), "viridis at 0.5");
    assertEquals(ColorScale.NO_VALUE.getRGB() & 0xffffff, rgb(img, l.pixel(0, 3, 3, 1)), "NaN is grey");
    // Every pixel of the voxel's block has its colour, and j runs up: (2, 3) lies above (4, 1).
    Point p = l.pixel(0, 2, 3, 1);
    for (int dx = -l.px() / 2; dx < l.px() - l.px() / 2; dx++) {
      for (int dy = -l.py() / 2; dy < l.py() - l.py() / 2; dy++) {
        assertEquals(0xfde725, img.getRGB(p.x + dx, p.y + dy) & 0xffffff, "block pixel " + dx + "," + dy);
      }
    }
    assertTrue(p.y < l.pixel(0, 4, 1, 1).y && p.x < l.pixel(0, 4, 1, 1).x);
    assertNull(l.pixel(0, 2, 3, 0), "slice 0 holds no value and is not shown");
  }

  @Test
  void rowsShareTheSlicesAndTheMaskGreysTheOutside() {
    SliceMontage.Volume a = SliceMontage.Volume.read(volume("a.nii.gz"));
    double[] b = new double[NX * NY * NZ];
    Arrays.fill(b, Double.NaN);
    b[at(0, 0, 3)] = 0.25;
    SliceMontage.Volume second = new SliceMontage.Volume(NX, NY, NZ, 1, 1, b);
    double[] mask = new double[NX * NY * NZ];
    for (int k = 0; k < NZ; k++) {
      for (int j = 0; j < NY; j++) {
        for (int i = 1; i < NX; i++) {
          mask[at(i, j, k)] = 1;
        }
      }
    }
    SliceMontage.Volume m = new SliceMontage.Volume(NX, NY, NZ, 1, 1, mask);
    SliceMontage.Rendered r = SliceMontage.render("test", List.of("a", "b"), List.of(a, second), m, 8);
    SliceMontage.Layout l = r.layout();
    assertArrayEquals(new int[] {1, 2, 3}, l.slices());
    BufferedImage img = r.image();
    assertEquals(ColorScale.rgb(0.25), rgb(img, l.pixel(1, 0, 0, 3)), "row b, slice 3");
    assertEquals(ColorScale.OUTSIDE.getRGB() & 0xffffff, rgb(img, l.pixel(0, 0, 0, 3)), "outside the mask");
    assertEquals(ColorScale.NO_VALUE.getRGB() & 0xffffff, rgb(img, l.pixel(0, 1, 0, 3)), "NaN inside the mask");
    assertEquals(0xfde725, rgb(img, l.pixel(0, 2, 3, 1)), "row a as before");
    // The rows lie one above the other at the same x.
    assertEquals(l.pixel(0, 2, 3, 1).x, l.pixel(1, 2, 3, 1).x);
    assertTrue(l.pixel(1, 2, 3, 1).y > l.pixel(0, 2, 3, 1).y);
  }

  @Test
  void atMostTheAskedSlicesEvenlySpaced() {
    int nz = 30;
    double[] v = new double[4 * 4 * nz];
    Arrays.fill(v, Double.NaN);
    for (int k = 5; k < 25; k++) {
      v[1 + 4 * (1 + 4 * k)] = k / 30.0;
    }
    SliceMontage.Volume vol = new SliceMontage.Volume(4, 4, nz, 1, 1, v);
    assertArrayEquals(new int[] {5, 10, 15, 19, 24}, SliceMontage.layout(List.of(vol), null, 5).slices());
    assertArrayEquals(new int[] {15}, SliceMontage.layout(List.of(vol), null, 1).slices());
  }

  @Test
  void anisotropicVoxelsKeepTheirAspect() {
    double[] v = new double[4 * 4 * 2];
    Arrays.fill(v, 0.5);
    SliceMontage.Layout l = SliceMontage.layout(List.of(new SliceMontage.Volume(4, 4, 2, 1, 2, v)), null, 8);
    assertEquals(2 * l.px(), l.py());
  }

  @Test
  void theColourBarRunsFromZeroAtTheBottomToOneAtTheTop() {
    SliceMontage.Volume v = SliceMontage.Volume.read(volume("v.nii"));
    SliceMontage.Rendered r = SliceMontage.render("test", List.of("map"), List.of(v), null, 8);
    SliceMontage.Layout l = r.layout();
    int x = l.cellX(l.slices().length) + 4 + SliceMontage.BAR_WIDTH / 2;
    int top = SliceMontage.TITLE;
    int bottom = l.cellY(0) + l.cellHeight();
    int h = bottom - top;
    // Row y of the bar (inside its border) has the colour of 1 - (y + 0.5) / h.
    assertEquals(ColorScale.rgb(1.0 - 1.5 / h), r.image().getRGB(x, top + 1) & 0xffffff, "near 1");
    assertEquals(ColorScale.rgb(1.5 / h), r.image().getRGB(x, bottom - 2) & 0xffffff, "near 0");
  }
}
