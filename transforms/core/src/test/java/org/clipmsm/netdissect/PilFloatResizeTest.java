package org.clipmsm.netdissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Pillow's Image.resize(BILINEAR) of 'F' images (make_fixtures.py), to the bit, growing, shrinking and both. */
class PilFloatResizeTest {
  @Test
  void matchesPillowBitForBit() {
    double[][] shapes = Fixtures.matrix("resize_shapes.npy");
    float[] in = Fixtures.floats("resize_inputs.npy");
    float[] out = Fixtures.floats("resize_outputs.npy");
    int io = 0;
    int oo = 0;
    for (double[] s : shapes) {
      int h = (int) s[0];
      int w = (int) s[1];
      int sh = (int) s[2];
      int sw = (int) s[3];
      float[] image = Arrays.copyOfRange(in, io, io + h * w);
      float[] expected = Arrays.copyOfRange(out, oo, oo + sh * sw);
      float[] got = PilFloatResize.resize(image, w, h, sw, sh);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
            h + "x" + w + " -> " + sh + "x" + sw + " at " + i + ": expected " + expected[i] + ", got " + got[i]);
      }
      io += h * w;
      oo += sh * sw;
    }
    assertEquals(in.length, io);
    assertEquals(out.length, oo);
  }

  /** Non-negative weights summing to 1: an output never exceeds its support (what the fused kernel's skip rests on). */
  @Test
  void weightsAreAConvexCombination() {
    int[][] sizes = {{7, 112}, {14, 7}, {3, 3}, {1, 5}, {9, 2}, {112, 7}, {5, 13}};
    for (int[] s : sizes) {
      PilFloatResize.Coefficients c = PilFloatResize.Coefficients.bilinear(s[0], s[1]);
      for (int o = 0; o < s[1]; o++) {
        double sum = 0;
        assertTrue(c.count(o) >= 1 && c.first(o) >= 0 && c.first(o) + c.count(o) <= s[0]);
        for (int t = 0; t < c.count(o); t++) {
          assertTrue(c.weight(o, t) >= 0);
          sum += c.weight(o, t);
        }
        assertEquals(1.0, sum, 1e-12, s[0] + " -> " + s[1] + " at " + o);
      }
    }
  }

  /** Worked by hand from precompute_coeffs: 1 x 2 to 1 x 4, centres 0.25, 0.75, 1.25, 1.75. */
  @Test
  void twoPixelsToFourByHand() {
    float[] up = PilFloatResize.resize(new float[] {1f, 0f}, 2, 1, 4, 1);
    // Pixel 0 reads only input 0 (its window [0, 1)); pixel 1: triangle(0.25) = 0.75 and triangle(0.75) = 0.25.
    assertEquals(Arrays.toString(new float[] {1f, 0.75f, 0.25f, 0f}), Arrays.toString(up));
  }
}
