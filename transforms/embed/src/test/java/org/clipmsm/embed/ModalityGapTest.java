package org.clipmsm.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modality-gap coordinate: the closed-form cosine map, the dense layout, and model.properties' keys. */
class ModalityGapTest {
  private static final Path FILE = Path.of("models", "m", "model.properties");

  private static float[] gaussian(Random rnd, int d, double offset) {
    float[] v = new float[d];
    for (int k = 0; k < d; k++) {
      v[k] = (float) (offset + rnd.nextGaussian() * (0.5 + rnd.nextDouble() * 10));
    }
    return v;
  }

  private static double cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int k = 0; k < a.length; k++) {
      ab += (double) a[k] * b[k];
      aa += (double) a[k] * a[k];
      bb += (double) b[k] * b[k];
    }
    return ab / Math.sqrt(aa * bb);
  }

  /**
   * [e, gi |e|] . [t, gt |t|] / norms = (cos + gi gt) / (sqrt(1 + gi^2) sqrt(1 + gt^2)) for vectors of any length and
   * sign; the map is increasing, so each image's best label stays the best.
   */
  @Test
  void cosinesMapAffinelyAndTheArgmaxStays() {
    Random rnd = new Random(7);
    for (double[] g : new double[][] {{0.1571, 3.577}, {1, 1}, {2.5, 0}, {0, 0.3}, {0.01, 40}}) {
      ModalityGap gap = new ModalityGap(g[0], g[1]);
      double s = 1 / (Math.sqrt(1 + g[0] * g[0]) * Math.sqrt(1 + g[1] * g[1]));
      float[][] images = new float[40][];
      float[][] texts = new float[7][];
      for (int i = 0; i < images.length; i++) {
        images[i] = gaussian(rnd, 64, i % 3 - 1);
      }
      for (int c = 0; c < texts.length; c++) {
        texts[c] = gaussian(rnd, 64, 0.5);
      }
      float[][] gi = gap.images(images);
      float[][] gt = gap.texts(texts);
      for (int i = 0; i < images.length; i++) {
        assertEquals(65, gi[i].length);
        assertArrayEquals(images[i], Arrays.copyOf(gi[i], 64), "the network's coordinates as they were");
        double[] before = new double[texts.length];
        double[] after = new double[texts.length];
        for (int c = 0; c < texts.length; c++) {
          before[c] = cosine(images[i], texts[c]);
          after[c] = cosine(gi[i], gt[c]);
          assertEquals(s * before[c] + s * g[0] * g[1], after[c], 1e-6, "closed form, gaps " + Arrays.toString(g));
          assertEquals(gap.cosine(before[c]), after[c], 1e-6);
        }
        assertEquals(TinyClipCalibrationTest.argmax(before), TinyClipCalibrationTest.argmax(after));
      }
    }
  }

  /** Each position of a dense map gets its own coordinate, gi times that position's norm; D grows by one. */
  @Test
  void denseMapsGetTheImageGapAtEveryPosition() {
    Random rnd = new Random(8);
    int h = 2;
    int w = 3;
    int d = 4;
    float[][] maps = {gaussian(rnd, h * w * d, 0), gaussian(rnd, h * w * d, 1)};
    ModalityGap gap = new ModalityGap(0.5, 2);
    int[] shape = {h, w, d};
    float[][] out = gap.dense(maps, shape);
    assertArrayEquals(new int[] {h, w, d + 1}, shape);
    for (int n = 0; n < maps.length; n++) {
      assertEquals(h * w * (d + 1), out[n].length);
      for (int p = 0; p < h * w; p++) {
        float[] f = Arrays.copyOfRange(maps[n], p * d, (p + 1) * d);
        float[] pooled = gap.images(new float[][] {f})[0];
        assertArrayEquals(pooled, Arrays.copyOfRange(out[n], p * (d + 1), (p + 1) * (d + 1)), "position " + p);
      }
    }
  }

  @Test
  void absentOrZeroKeysAppendNothing() {
    Properties p = new Properties();
    p.setProperty("preprocess", "clip");
    ModalityGap none = ModalityGap.of(p, FILE);
    assertEquals(ModalityGap.NONE, none);
    assertFalse(none.appends());
    float[][] rows = {{1, 2, 3}};
    assertSame(rows, none.images(rows));
    assertSame(rows, none.texts(rows));
    int[] shape = {1, 1, 3};
    assertSame(rows, none.dense(rows, shape));
    assertArrayEquals(new int[] {1, 1, 3}, shape);
    p.setProperty("gap_image", "0");
    p.setProperty("gap_text", " 0.0 ");
    assertEquals(ModalityGap.NONE, ModalityGap.of(p, FILE));
    p.setProperty("gap_text", "2");
    ModalityGap textOnly = ModalityGap.of(p, FILE);
    assertTrue(textOnly.appends());
    assertArrayEquals(new float[] {3, 4, 0}, textOnly.images(new float[][] {{3, 4}})[0], "images get 0 * |e|");
    assertArrayEquals(new float[] {3, 4, 10}, textOnly.texts(new float[][] {{3, 4}})[0]);
  }

  @Test
  void badValuesNameTheFileAndTheKey() {
    for (String key : List.of("gap_image", "gap_text")) {
      for (String bad : List.of("-0.1", "NaN", "Infinity", "abc", "")) {
        Properties p = new Properties();
        p.setProperty(key, bad);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModalityGap.of(p, FILE));
        assertTrue(e.getMessage().startsWith(FILE + ": " + key + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      }
    }
  }

  /** A model directory with a bad gap is refused when opened, naming its model.properties, before any encoder loads. */
  @Test
  void openingAModelWithABadGapNamesItsProperties(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("model.properties"), "preprocess=clip\ngap_image=0.2\ngap_text=-3\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> EmbeddingModel.open(ModelRef.of(dir.toString())));
    assertTrue(e.getMessage().startsWith(dir.resolve("model.properties") + ": gap_text: "), e.getMessage());
  }

  @Test
  void theShippedTinyClipHasItsGap() {
    try (EmbeddingModel m = EmbeddingModel.open(ModelRef.of(ModelRef.TINY_CLIP))) {
      assertEquals(new ModalityGap(0.1571, 3.577), m.modalityGap());
    }
  }
}
