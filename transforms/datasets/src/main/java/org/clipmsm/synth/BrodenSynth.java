package org.clipmsm.synth;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.broden.BrodenSet;
import org.clipmsm.io.Csv;

/**
 * A small probe set in Broden's format (docs/datasets.md §3) made of the project's synthetic scenes
 * ({@link SceneContents}, {@link SceneDrawer}), whose masks are known exactly because they come from the very shapes
 * that were drawn ({@link SceneDrawer#drawWithMasks}). Deterministic: the same spec gives the same bytes.
 *
 * <p>Categories (category.csv's order) and their concepts, label numbers in this order from 1:
 * <ul>
 *   <li>{@code color} (pixels, a PNG per image): {@link #COLORS}, each pixel named by the nearest of their reference
 *       colours in RGB; a distractor that overlaps the objects (skin is pink, orange or brown, sky blue, paper and
 *       plates white, ink black) without matching any;</li>
 *   <li>{@code object} (pixels): one concept per {@link Category}, named by {@link Category#label()} ({@code faces},
 *       {@code bodies}, {@code places}, {@code words}, {@code food}); every pixel a drawn object covers in the final
 *       image carries its category. Places are pixels too: the backdrop band (sky, ground and buildings), so a unit
 *       tuned to places can reach a high IoU with it; background pixels are 0;</li>
 *   <li>{@code part} (pixels, the cell empty when no part is visible): {@code eye} and {@code mouth} of faces;</li>
 *   <li>{@code scene} (image-level): {@code outdoor} when the image shows a places band, else {@code indoor};</li>
 *   <li>{@code texture} (image-level): {@link #TEXTURES}, drawn at random, unrelated to the content.</li>
 * </ul>
 *
 * <p>Files: {@code index.csv}, {@code category.csv}, {@code label.csv}, {@code c_<category>.csv} and {@code images/}
 * with {@code synth/NNNNN.png} (the drawn RGB image, PNG so the pixels are exactly those drawn) and
 * {@code synth/NNNNN_color.png}, {@code _object.png}, {@code _part.png} (label = R + 256 G, B = 0). A segmentation
 * pixel samples the image pixel at its centre (nearest neighbour): row r of {@code s} rows reads image row
 * {@code floor((2r + 1) size / (2 s))}. Every fifth image is in split {@code val}, the others in {@code train}.
 * label.csv's {@code category} gives each label's pixel count (an image-level label counts sh x sw), frequency the
 * images holding it, coverage its pixels in units of whole images; category.csv's first and last are codes.
 */
public final class BrodenSynth {
  /** The categories of the set, in category.csv's and index.csv's order. */
  public static final List<String> CATEGORIES = List.of("color", "object", "part", "scene", "texture");
  /** Broden's eleven colour names. */
  public static final List<String> COLORS = List.of("black", "blue", "brown", "grey", "green", "orange", "pink",
      "purple", "red", "white", "yellow");
  /** Reference RGB of each of {@link #COLORS}. */
  private static final int[][] COLOR_RGB = {
      {20, 20, 20}, {60, 90, 220}, {130, 80, 40}, {128, 128, 128}, {60, 140, 50}, {240, 140, 30}, {240, 160, 180},
      {130, 50, 160}, {210, 30, 30}, {245, 245, 245}, {240, 220, 40}};
  public static final List<String> PARTS = List.of("eye", "mouth");
  public static final List<String> SCENES = List.of("outdoor", "indoor");
  public static final List<String> TEXTURES = List.of("banded", "dotted", "chequered");

  /** The label numbers: 1.. in the order color, object, part, scene, texture. */
  public static final int FIRST_COLOR = 1;
  public static final int FIRST_OBJECT = FIRST_COLOR + COLORS.size();
  public static final int FIRST_PART = FIRST_OBJECT + Category.values().length;
  public static final int FIRST_SCENE = FIRST_PART + PARTS.size();
  public static final int FIRST_TEXTURE = FIRST_SCENE + SCENES.size();
  public static final int LABELS = FIRST_TEXTURE + TEXTURES.size();

  /**
   * The size of a set.
   *
   * @param seed of everything drawn
   * @param images how many scenes
   * @param imageSize the side of the square images (Broden: 224 or 227)
   * @param segmentationSize the side of the square segmentations (broden1_224: 112), at most imageSize
   */
  public record Spec(long seed, int images, int imageSize, int segmentationSize) {
    public static final int DEFAULT_IMAGES = 100;
    public static final int DEFAULT_IMAGE_SIZE = 224;
    public static final int DEFAULT_SEGMENTATION_SIZE = 112;

    public Spec {
      InvalidParameterException.require(images >= 1 && images <= 99999, "images", "expected 1..99999 images, got "
          + images);
      InvalidParameterException.require(imageSize >= 8 && imageSize <= 4096, "imageSize",
          "expected 8..4096 pixels, got " + imageSize);
      InvalidParameterException.require(segmentationSize >= 1 && segmentationSize <= imageSize, "segmentationSize",
          "expected 1..imageSize (" + imageSize + ") pixels, got " + segmentationSize);
    }

    /** 100 images of 224 pixels, segmentations of 112 (broden1_224's sizes). */
    public static Spec defaults(long seed) {
      return new Spec(seed, DEFAULT_IMAGES, DEFAULT_IMAGE_SIZE, DEFAULT_SEGMENTATION_SIZE);
    }
  }

  private BrodenSynth() {}

  /** The label number of each concept name, in number order (index 0 = '-'). */
  public static List<String> labelNames() {
    List<String> out = new ArrayList<>();
    out.add("-");
    out.addAll(COLORS);
    for (Category c : Category.values()) {
      out.add(c.label());
    }
    out.addAll(PARTS);
    out.addAll(SCENES);
    out.addAll(TEXTURES);
    return out;
  }

  /** The category of each label number (index 0 = '-': ""). */
  public static String categoryOf(int number) {
    if (number <= 0 || number >= LABELS) {
      return "";
    }
    return CATEGORIES.get(number >= FIRST_TEXTURE ? 4 : number >= FIRST_SCENE ? 3 : number >= FIRST_PART ? 2
        : number >= FIRST_OBJECT ? 1 : 0);
  }

  /** The object label of a category. */
  public static int objectLabel(Category c) {
    return FIRST_OBJECT + c.ordinal();
  }

  /** The colour label of an RGB pixel: the nearest reference colour (squared distance; ties to the first). */
  public static int colorLabel(int r, int g, int b) {
    int best = 0;
    long bestD = Long.MAX_VALUE;
    for (int k = 0; k < COLOR_RGB.length; k++) {
      long dr = r - COLOR_RGB[k][0];
      long dg = g - COLOR_RGB[k][1];
      long db = b - COLOR_RGB[k][2];
      long d = dr * dr + dg * dg + db * db;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return FIRST_COLOR + best;
  }

  /** The image row (or column) that segmentation row {@code r} of {@code seg} samples in an image of {@code size}. */
  public static int sample(int r, int seg, int size) {
    return (int) (((2L * r + 1) * size) / (2L * seg));
  }

  /** The relative path (under images/) of image {@code n} (0-based). */
  public static String imagePath(int n) {
    return String.format(java.util.Locale.ROOT, "synth/%05d.png", n + 1);
  }

  /** Writes the set under {@code root} (created if needed). */
  public static void write(Path root, Spec spec) {
    try {
      new Writer(root, spec).write();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the synthetic Broden set under " + root, e);
    }
  }

  private static final class Writer {
    final Path root;
    final Spec s;
    /** Per label: pixels over the set, images holding it. */
    final long[] pixels = new long[LABELS];
    final long[] frequency = new long[LABELS];
    final long[] categoryImages = new long[CATEGORIES.size()];

    Writer(Path root, Spec s) {
      this.root = root;
      this.s = s;
    }

    void write() throws IOException {
      Path images = root.resolve(BrodenSet.IMAGES).resolve("synth");
      Files.createDirectories(images);
      Random rnd = new Random(s.seed());
      double[][] contents = SceneContents.draw(s.images(), Category.values().length, rnd);
      int size = s.imageSize();
      int seg = s.segmentationSize();
      int area = seg * seg;
      try (CSVPrinter index = Csv.printer(root.resolve(BrodenSet.INDEX), "image", "split", "ih", "iw", "sh", "sw",
          "color", "object", "part", "scene", "texture")) {
        for (int n = 0; n < s.images(); n++) {
          long imageSeed = rnd.nextLong();
          int texture = FIRST_TEXTURE + rnd.nextInt(TEXTURES.size());
          SceneDrawer.Scene scene = SceneDrawer.drawWithMasks(contents[n], size, imageSeed);
          int[] color = new int[area];
          int[] object = new int[area];
          int[] part = new int[area];
          boolean anyPart = false;
          for (int r = 0; r < seg; r++) {
            int y = sample(r, seg, size);
            for (int c = 0; c < seg; c++) {
              int x = sample(c, seg, size);
              int p = y * size + x;
              color[r * seg + c] = colorLabel(scene.rgb()[3 * p] & 0xff, scene.rgb()[3 * p + 1] & 0xff,
                  scene.rgb()[3 * p + 2] & 0xff);
              int cat = scene.category()[p];
              object[r * seg + c] = cat < 0 ? 0 : FIRST_OBJECT + cat;
              int pt = scene.part()[p];
              part[r * seg + c] = pt == SceneDrawer.NO_PART ? 0 : FIRST_PART + pt - 1;
              anyPart |= pt != SceneDrawer.NO_PART;
            }
          }
          boolean outdoor = false;
          for (byte c : scene.category()) {
            outdoor |= c == Category.PLACES.ordinal();
          }
          int sceneLabel = FIRST_SCENE + (outdoor ? 0 : 1);
          String base = imagePath(n).substring(0, imagePath(n).length() - 4);
          writeRgb(root.resolve(BrodenSet.IMAGES).resolve(imagePath(n)), scene.rgb(), size);
          writeLabels(root.resolve(BrodenSet.IMAGES).resolve(base + "_color.png"), color, seg);
          writeLabels(root.resolve(BrodenSet.IMAGES).resolve(base + "_object.png"), object, seg);
          if (anyPart) {
            writeLabels(root.resolve(BrodenSet.IMAGES).resolve(base + "_part.png"), part, seg);
          }
          count(color, 0);
          count(object, 1);
          if (anyPart) {
            count(part, 2);
          }
          countImageLevel(sceneLabel, 3, area);
          countImageLevel(texture, 4, area);
          index.printRecord(imagePath(n), n % 5 == 4 ? "val" : "train", size, size, seg, seg, base + "_color.png",
              base + "_object.png", anyPart ? base + "_part.png" : "", sceneLabel, texture);
        }
      }
      List<String> names = labelNames();
      try (CSVPrinter labels = Csv.printer(root.resolve(BrodenSet.LABEL), "number", "name", "category",
          "frequency", "coverage", "syns")) {
        labels.printRecord(0, "-", "", 0, "0.0", "");
        for (int number = 1; number < LABELS; number++) {
          labels.printRecord(number, names.get(number), categoryOf(number) + "(" + pixels[number] + ")",
              frequency[number], coverage(pixels[number], area), "");
        }
      }
      try (CSVPrinter categories = Csv.printer(root.resolve(BrodenSet.CATEGORY), "name", "first", "last", "count",
          "frequency")) {
        for (int c = 0; c < CATEGORIES.size(); c++) {
          int count = 0;
          for (int number = 1; number < LABELS; number++) {
            count += categoryOf(number).equals(CATEGORIES.get(c)) ? 1 : 0;
          }
          categories.printRecord(CATEGORIES.get(c), 1, count, count, categoryImages[c]);
        }
      }
      for (String category : CATEGORIES) {
        try (CSVPrinter codes = Csv.printer(root.resolve("c_" + category + ".csv"), "code", "number", "name",
            "frequency", "coverage")) {
          int code = 0;
          for (int number = 1; number < LABELS; number++) {
            if (categoryOf(number).equals(category)) {
              codes.printRecord(++code, number, names.get(number), frequency[number],
                  coverage(pixels[number], area));
            }
          }
        }
      }
    }

    void count(int[] plane, int category) {
      boolean[] seen = new boolean[LABELS];
      for (int v : plane) {
        if (v != 0) {
          pixels[v]++;
          seen[v] = true;
        }
      }
      for (int k = 0; k < LABELS; k++) {
        frequency[k] += seen[k] ? 1 : 0;
      }
      categoryImages[category]++;
    }

    void countImageLevel(int label, int category, int area) {
      pixels[label] += area;
      frequency[label]++;
      categoryImages[category]++;
    }

    /** Pixels in units of whole segmentations, six decimals, rounded half-even (no double formatting). */
    static String coverage(long pixels, int area) {
      return BigDecimal.valueOf(pixels).divide(BigDecimal.valueOf(area), 6, RoundingMode.HALF_EVEN).toPlainString();
    }

    static void writeRgb(Path file, byte[] rgb, int size) throws IOException {
      BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int o = 3 * (y * size + x);
          img.setRGB(x, y, (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff));
        }
      }
      png(img, file);
    }

    static void writeLabels(Path file, int[] labels, int seg) throws IOException {
      BufferedImage img = new BufferedImage(seg, seg, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < seg; y++) {
        for (int x = 0; x < seg; x++) {
          int v = labels[y * seg + x];
          img.setRGB(x, y, (v % 256) << 16 | (v / 256) << 8);
        }
      }
      png(img, file);
    }

    static void png(BufferedImage img, Path file) throws IOException {
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new IOException("no PNG writer for " + file);
      }
    }
  }
}
