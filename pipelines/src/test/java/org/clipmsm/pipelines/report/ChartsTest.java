package org.clipmsm.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  @TempDir
  Path tmp;

  private static void assertSize(int w, int h, BufferedImage img) {
    assertEquals(w + "x" + h, img.getWidth() + "x" + img.getHeight());
  }

  private static int count(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void barsWithMissingValuesAndErrorsDraw() throws Exception {
    BufferedImage img = Charts.bars("t", "x (unit)", "y (unit)", List.of("a", "b", "c"), List.of("s1", "s2"),
        List.of(Arrays.asList(0.1, null, Double.NaN), Arrays.asList(-0.2, 0.3, 0.4)),
        List.of(Arrays.asList(0.01, null, null), Arrays.asList(Double.NaN, 0.02, 0.03)), false);
    assertSize(Charts.WIDTH, Charts.HEIGHT, img);
    // Both series' colours are on it (Okabe-Ito blue and orange).
    assertTrue(count(img, 0x0072b2) > 1000 && count(img, 0xe69f00) > 1000);
    Path png = tmp.resolve("a.png");
    Charts.writePng(img, png);
    assertSize(Charts.WIDTH, Charts.HEIGHT, ImageIO.read(png.toFile()));
    assertTrue(Files.size(png) > 1000);
    assertSize(400, 300, Charts.bars("t", "x", "y", List.of("a"), List.of("s"), List.of(List.of(1.0)), null, true,
        400, 300, new double[] {0, 2}));
  }

  @Test
  void aSeriesWithoutValuesLeavesItsBarsOut() {
    BufferedImage img = Charts.bars("t", "x", "y", List.of("a", "b"), List.of("s1", "s2"),
        List.of(Arrays.asList(0.1, 0.2), Arrays.asList(null, Double.NaN)),
        List.of(Arrays.asList(null, null), Arrays.asList(null, null)), false);
    assertSize(Charts.WIDTH, Charts.HEIGHT, img);
    assertTrue(count(img, 0x0072b2) > 1000, "the first series is drawn");
  }

  @Test
  void linesDraw() {
    BufferedImage img = Charts.lines("t", "x", "y", List.of("a", "b"), List.of(new double[] {1, 2, 3},
        new double[] {1, 2}), List.of(new double[] {0.1, 0.2, 0.25}, new double[] {0.05, 0.1}));
    assertSize(Charts.WIDTH, Charts.HEIGHT, img);
  }

  @Test
  void theDensityIsPaintedInLogScaleUnderTheLine() {
    // Bins of 100 voxels (the top of the scale; 4x the area of the next), 10 (the middle) and 1 (the bottom).
    List<Charts.Bin> bins = List.of(new Charts.Bin(0, 40, 60, 100, 100), new Charts.Bin(60, 80, 0, 20, 10),
        new Charts.Bin(90, 92, 90, 92, 1), new Charts.Bin(50, 52, 50, 52, 0));
    BufferedImage img = Charts.density("t", "x (%)", "y (%)", bins, 0.85, "line", "voxels (log)");
    assertSize(Charts.WIDTH, Charts.HEIGHT, img);
    int top = count(img, ColorScale.rgb(1));
    int middle = count(img, ColorScale.rgb(0.5));
    int bottom = count(img, ColorScale.rgb(0));
    assertTrue(top > 3 * middle && middle > 10 * bottom && bottom > 4, top + " " + middle + " " + bottom);
    assertTrue(count(img, 0xd55e00) > 500, "the line on top");
  }
}
