package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.broden.BrodenAnnotation;
import org.clipmsm.broden.BrodenImage;
import org.clipmsm.broden.BrodenLabel;
import org.clipmsm.broden.BrodenSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SceneDrawer#drawWithMasks} (the same image as {@link SceneDrawer#draw}, with masks that match the colours
 * drawn) and {@link BrodenSynth} (a Broden set the reader reads, whose masks match the images it wrote, the same
 * bytes for the same seed).
 */
class BrodenSynthTest {
  @TempDir
  Path tmp;

  // ------------------------------------------------------------------------------------------------------------
  // SceneDrawer
  // ------------------------------------------------------------------------------------------------------------

  /**
   * SHA-256 of the images below as SceneDrawer.draw made them before drawWithMasks existed: the synthetic NSD and
   * NOD stimuli stay byte-identical.
   */
  @Test
  void drawKeepsItsBytes() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    double[][] c = SceneContents.draw(60, 5, new Random(11));
    int[] sizes = {16, 32, 64, 100, 224};
    for (int i = 0; i < 60; i++) {
      md.update(SceneDrawer.draw(c[i], sizes[i % sizes.length], 1000 + i));
    }
    md.update(SceneDrawer.draw(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, 128, 7));
    StringBuilder hex = new StringBuilder();
    for (byte b : md.digest()) {
      hex.append(String.format("%02x", b));
    }
    assertEquals("556e9bfea60aa1734a57b5f5ef875ffd0860ccebfde8b8c674b8d9d5d7272902", hex.toString());
  }

  @Test
  void drawWithMasksDrawsTheSameImage() {
    double[][] c = SceneContents.draw(150, 5, new Random(5));
    int[] sizes = {16, 48, 64, 112, 224};
    for (int i = 0; i < 150; i++) {
      int size = sizes[i % sizes.length];
      SceneDrawer.Scene s = SceneDrawer.drawWithMasks(c[i], size, 77 + 13L * i);
      assertArrayEquals(SceneDrawer.draw(c[i], size, 77 + 13L * i), s.rgb(), "scene " + i);
      assertEquals(size * size, s.category().length);
      assertEquals(size * size, s.part().length);
      assertMasksMatchColours(s.rgb(), s.category(), s.part(), "scene " + i);
    }
  }

  private static int rgbAt(byte[] rgb, int p) {
    return (rgb[3 * p] & 0xff) << 16 | (rgb[3 * p + 1] & 0xff) << 8 | (rgb[3 * p + 2] & 0xff);
  }

  private static int rgb(int r, int g, int b) {
    return r << 16 | g << 8 | b;
  }

  /**
   * Whether a colour is one SceneDrawer paints for that category (its palette, read off its source): an independent
   * check that each mask pixel shows what the mask says.
   */
  static boolean paintedBy(int category, int part, int colour) {
    int r = colour >> 16 & 0xff;
    int g = colour >> 8 & 0xff;
    int b = colour & 0xff;
    if (part == SceneDrawer.EYE) {
      return colour == rgb(30, 25, 20);
    }
    if (part == SceneDrawer.MOUTH) {
      return colour == rgb(150, 50, 50);
    }
    if (category < 0) {
      return colour == rgb(128, 128, 120);
    }
    return switch (Category.values()[category]) {
      case FACES -> r >= 146 && r <= 225 && g >= 121 && g <= 180 && b >= 91 && b <= 150;
      case BODIES -> r >= 40 && r <= 99 && g >= 60 && g <= 119 && b >= 140 && b <= 219;
      case PLACES -> colour == rgb(110, 160, 230) || colour == rgb(90, 120, 60) || colour == rgb(40, 40, 60)
          || (r >= 150 && r <= 189 && g == 140 && b == 130);
      case WORDS -> colour == rgb(245, 245, 240) || colour == rgb(10, 10, 10);
      case FOOD -> colour == rgb(250, 250, 250) || (r >= 200 && g < 200 && b < 60);
    };
  }

  private static void assertMasksMatchColours(byte[] rgb, byte[] category, byte[] part, String what) {
    for (int p = 0; p < category.length; p++) {
      int colour = rgbAt(rgb, p);
      boolean ok = paintedBy(category[p], part[p], colour)
          // Eyes and mouths are painted in colours of their own, and only they are, within faces.
          && (part[p] == SceneDrawer.EYE) == (colour == rgb(30, 25, 20))
          && (part[p] == SceneDrawer.MOUTH) == (colour == rgb(150, 50, 50))
          && (part[p] == SceneDrawer.NO_PART || category[p] == Category.FACES.ordinal())
          // No object is painted in the background's colour.
          && (category[p] == SceneDrawer.NO_CATEGORY) == (colour == rgb(128, 128, 120));
      if (!ok) {
        fail(what + " pixel " + p + ": category " + category[p] + " part " + part[p] + " colour "
            + Integer.toHexString(colour));
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // BrodenSynth
  // ------------------------------------------------------------------------------------------------------------

  private static int[] readRgb(Path png) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @Test
  void theReaderReadsWhatWasDrawn() throws IOException {
    BrodenSynth.Spec spec = new BrodenSynth.Spec(3, 25, 64, 32);
    Path root = tmp.resolve("broden");
    BrodenSynth.write(root, spec);
    BrodenSet set = BrodenSet.open(root, BrodenSynth.CATEGORIES, null);
    set.checkFiles();
    assertEquals(BrodenSynth.CATEGORIES, set.categories());
    assertEquals(25, set.size());
    assertEquals(BrodenSynth.labelNames(), set.labels().stream().map(BrodenLabel::name).toList());
    assertEquals(BrodenSynth.LABELS, set.labelCount());
    // The default selection (NetDissect-Lite's) reads the same set: it has no material.
    assertEquals(List.of("color", "object", "part", "scene", "texture"), BrodenSet.open(root).categories());

    long[] pixels = new long[BrodenSynth.LABELS];
    long[] images = new long[BrodenSynth.LABELS];
    int withParts = 0;
    int outdoor = 0;
    for (int i = 0; i < set.size(); i++) {
      BrodenImage row = set.image(i);
      assertEquals(BrodenSynth.imagePath(i), row.image());
      assertEquals(i % 5 == 4 ? "val" : "train", row.split());
      assertEquals(List.of(64, 64, 32, 32), List.of(row.ih(), row.iw(), row.sh(), row.sw()));
      BrodenAnnotation a = set.read(i);
      int[] rgb = readRgb(set.imageFile(i));
      assertEquals(64 * 64, rgb.length);
      boolean hasPart = a.planeCategories().contains("part");
      withParts += hasPart ? 1 : 0;
      assertEquals(hasPart ? List.of("color", "object", "part") : List.of("color", "object"), a.planeCategories());
      assertEquals(List.of("scene", "texture"), a.imageLabelCategories());
      int[] color = a.planes().get(0);
      int[] object = a.planes().get(1);
      int[] part = hasPart ? a.planes().get(2) : new int[32 * 32];
      boolean places = false;
      for (int r = 0; r < 32; r++) {
        for (int c = 0; c < 32; c++) {
          int q = r * 32 + c;
          int colour = rgb[BrodenSynth.sample(r, 32, 64) * 64 + BrodenSynth.sample(c, 32, 64)] & 0xffffff;
          int category = object[q] == 0 ? -1 : object[q] - BrodenSynth.FIRST_OBJECT;
          int p = part[q] == 0 ? SceneDrawer.NO_PART : part[q] - BrodenSynth.FIRST_PART + 1;
          assertTrue(category >= -1 && category < 5 && p >= 0 && p <= 2, () -> "labels " + object[q] + " " + part[q]);
          if (!paintedBy(category, p, colour)) {
            fail(row.image() + " (" + r + ", " + c + "): object " + object[q] + " part " + part[q] + " colour "
                + Integer.toHexString(colour));
          }
          assertEquals(object[q] == 0, colour == rgb(128, 128, 120));
          assertEquals(BrodenSynth.colorLabel(colour >> 16, colour >> 8 & 0xff, colour & 0xff), color[q]);
          places |= category == Category.PLACES.ordinal();
          for (int v : new int[] {color[q], object[q], part[q]}) {
            pixels[v]++;
          }
        }
      }
      for (int[] plane : a.planes()) {
        java.util.Arrays.stream(plane).distinct().filter(v -> v != 0).forEach(v -> images[v]++);
      }
      int scene = a.imageLabels()[0];
      int texture = a.imageLabels()[1];
      outdoor += scene == BrodenSynth.FIRST_SCENE ? 1 : 0;
      if (places) {
        assertEquals("outdoor", set.label(scene).name(), row.image());
      }
      assertEquals("scene", BrodenSynth.categoryOf(scene));
      assertEquals("texture", BrodenSynth.categoryOf(texture));
      pixels[scene] += 32 * 32;
      pixels[texture] += 32 * 32;
      images[scene]++;
      images[texture]++;
    }
    assertTrue(withParts > 0 && withParts < 25, "some images show a face part, some none: " + withParts);
    assertTrue(outdoor > 0 && outdoor < 25, "outdoor " + outdoor);
    // label.csv and the c_ files count what the planes hold; every label's primary category is its own.
    for (int number = 1; number < BrodenSynth.LABELS; number++) {
      BrodenLabel l = set.label(number);
      String category = BrodenSynth.categoryOf(number);
      assertEquals(java.util.Map.of(category, pixels[number]), l.categoryCounts(), l.name());
      assertEquals(images[number], l.frequency(), l.name());
      assertEquals(pixels[number] / 1024.0, l.coverage(), 1e-6, l.name());
      assertEquals(pixels[number] / 1024.0, set.coverage(category, number), 1e-6, l.name());
      if (pixels[number] > 0) {
        assertEquals(category, set.primaryCategory(number), l.name());
      }
    }
    for (Category c : Category.values()) {
      assertTrue(pixels[BrodenSynth.objectLabel(c)] > 0, c.label());
    }
  }

  /** The distractors overlap the objects without matching them: an IoU has to tell them apart. */
  @Test
  void colourDistractorsOverlapObjectsPartly() {
    Path root = tmp.resolve("broden");
    BrodenSynth.write(root, new BrodenSynth.Spec(4, 30, 64, 32));
    BrodenSet set = BrodenSet.open(root);
    for (Category c : Category.values()) {
      int object = BrodenSynth.objectLabel(c);
      long[] both = new long[BrodenSynth.LABELS];
      long[] colour = new long[BrodenSynth.LABELS];
      long mask = 0;
      for (int i = 0; i < set.size(); i++) {
        BrodenAnnotation a = set.read(i);
        int[] col = a.planes().get(0);
        int[] obj = a.planes().get(1);
        for (int q = 0; q < obj.length; q++) {
          colour[col[q]]++;
          if (obj[q] == object) {
            mask++;
            both[col[q]]++;
          }
        }
      }
      double best = 0;
      for (int k = BrodenSynth.FIRST_COLOR; k < BrodenSynth.FIRST_OBJECT; k++) {
        best = Math.max(best, both[k] / (double) (mask + colour[k] - both[k]));
      }
      assertTrue(best > 0.05 && best < 0.8, c.label() + ": best colour IoU " + best);
    }
  }

  @Test
  void sameSeedSameBytes() throws IOException {
    BrodenSynth.Spec spec = new BrodenSynth.Spec(9, 6, 48, 24);
    BrodenSynth.write(tmp.resolve("a"), spec);
    BrodenSynth.write(tmp.resolve("b"), spec);
    BrodenSynth.write(tmp.resolve("c"), new BrodenSynth.Spec(10, 6, 48, 24));
    List<Path> files = files(tmp.resolve("a"));
    assertEquals(files, files(tmp.resolve("b")));
    assertTrue(files.size() > 4 + 6 * 3);
    boolean differs = false;
    for (Path f : files) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b")
          .resolve(f)), f.toString());
      Path other = tmp.resolve("c").resolve(f);
      differs |= !Files.exists(other) || !java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("a").resolve(f)),
          Files.readAllBytes(other));
    }
    assertTrue(differs, "another seed, other bytes");
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  @Test
  void defaultSizesAreBrodens() {
    BrodenSynth.Spec spec = BrodenSynth.Spec.defaults(1);
    assertEquals(List.of(100, 224, 112), List.of(spec.images(), spec.imageSize(), spec.segmentationSize()));
    // broden1_224's halving: segmentation row r samples image row 2r + 1.
    for (int r = 0; r < 112; r++) {
      assertEquals(2 * r + 1, BrodenSynth.sample(r, 112, 224));
    }
    Path root = tmp.resolve("broden");
    BrodenSynth.write(root, new BrodenSynth.Spec(1, 2, 224, 112));
    BrodenSet set = BrodenSet.open(root);
    assertEquals(112 * 112, set.read(1).planes().get(1).length);
  }

  @Test
  void badSizesAreParameterErrors() {
    assertEquals("segmentationSize", assertThrows(InvalidParameterException.class,
        () -> new BrodenSynth.Spec(1, 2, 64, 65)).parameter());
    assertEquals("images", assertThrows(InvalidParameterException.class,
        () -> new BrodenSynth.Spec(1, 0, 64, 32)).parameter());
    assertEquals("imageSize", assertThrows(InvalidParameterException.class,
        () -> new BrodenSynth.Spec(1, 2, 4, 2)).parameter());
    assertFalse(BrodenSynth.labelNames().contains(""));
  }
}
