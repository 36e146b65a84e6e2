package org.clipmsm.broden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.netdissect.ConceptTable;
import org.clipmsm.netdissect.ProbeAnnotation;
import org.clipmsm.stimuli.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the Broden reader against the fixture of src/test/resources/broden (made by make_fixtures.py with numpy and
 * Pillow): the planes, image-level labels and primary categories it expects were computed by the script from the
 * arrays it encoded, never by this reader. Bad input is made by copying the set and breaking one thing.
 */
class BrodenSetTest {
  private static final List<String> ALL = List.of("color", "object", "part", "material", "scene", "texture");

  @TempDir
  Path tmp;

  private static Path resource(String name) {
    try {
      return Path.of(BrodenSetTest.class.getResource("/broden/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path set() {
    return resource("set");
  }

  /** One expected annotation: (kind, category, value) rows of expected/annotations.csv for an image. */
  private record Expected(String kind, String category, String value) {}

  private static Map<String, List<Expected>> expected() {
    Csv.Table t = Csv.read(resource("expected/annotations.csv"));
    Map<String, List<Expected>> out = new HashMap<>();
    for (int i = 0; i < t.size(); i++) {
      out.computeIfAbsent(t.get(i, 0), k -> new ArrayList<>()).add(new Expected(t.get(i, 1), t.get(i, 2),
          t.get(i, 3)));
    }
    return out;
  }

  /** An expected plane as row-major ints (the .npy is sh x sw int32; readMatrix gives it column-major). */
  private static int[] expectedPlane(String npy, int sh, int sw) {
    Path f = resource("expected/" + npy);
    double[] colMajor = Npy.readMatrix(f);
    assertEquals(sh * sw, colMajor.length);
    int[] out = new int[sh * sw];
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        out[y * sw + x] = (int) colMajor[y + x * sh];
      }
    }
    return out;
  }

  private static void assertMatchesExpected(BrodenSet set, BrodenAnnotation a) {
    List<Expected> want = expected().get(a.image()).stream().filter(e -> set.categories().contains(e.category()))
        .toList();
    List<Expected> planes = want.stream().filter(e -> e.kind().equals("plane")).toList();
    List<Expected> scalars = want.stream().filter(e -> e.kind().equals("scalar")).toList();
    assertEquals(planes.size(), a.planes().size(), a.image());
    for (int k = 0; k < planes.size(); k++) {
      assertEquals(planes.get(k).category(), a.planeCategories().get(k), a.image() + " plane " + k);
      assertArrayEquals(expectedPlane(planes.get(k).value(), a.height(), a.width()), a.planes().get(k),
          a.image() + " plane " + k);
    }
    assertArrayEquals(scalars.stream().mapToInt(e -> Integer.parseInt(e.value())).toArray(), a.imageLabels(),
        a.image());
    assertEquals(scalars.stream().map(Expected::category).toList(), a.imageLabelCategories(), a.image());
    assertEquals(want.stream().map(Expected::category).distinct().toList(), a.categories(), a.image());
  }

  @Test
  void everyCategoryReadsWhatTheScriptWrote() {
    BrodenSet set = BrodenSet.open(set(), ALL, null);
    assertEquals(ALL, set.categories(), "category.csv's order, not index.csv's");
    assertEquals(List.of("ade20k/ADE_train_1.jpg", "ade20k/ADE_train_2.jpg", "dtd/striped_1.jpg",
        "os/material_only.jpg", "pascal/val_1.jpg"), set.keys());
    for (int i = 0; i < set.size(); i++) {
      BrodenAnnotation a = set.read(i);
      assertEquals(6, a.height());
      assertEquals(8, a.width());
      assertMatchesExpected(set, a);
    }
    // The fixture holds what it should: labels above 255 (G matters), a PNG and a number in one cell (a constant
    // plane), two image-level textures, an image with image-level labels only.
    BrodenAnnotation ade1 = set.read(0);
    assertTrue(ade1.planes().stream().flatMapToInt(java.util.Arrays::stream).anyMatch(v -> v > 511));
    assertEquals(List.of("color", "object", "part", "material", "scene"), ade1.categories());
    BrodenAnnotation pascal = set.read(set.indexOf("pascal/val_1.jpg"));
    assertTrue(java.util.Arrays.stream(pascal.planes().get(2)).allMatch(v -> v == 3));
    assertArrayEquals(new int[] {1001, 1100, 1101}, set.read(1).imageLabels());
    BrodenAnnotation dtd = set.read(2);
    assertTrue(dtd.planes().isEmpty());
    assertArrayEquals(new int[] {1100}, dtd.imageLabels());
  }

  @Test
  void defaultCategoriesLeaveMaterialOut() {
    BrodenSet set = BrodenSet.open(set());
    assertEquals(List.of("color", "object", "part", "scene", "texture"), set.categories());
    assertEquals(List.of("ade20k/ADE_train_1.jpg", "ade20k/ADE_train_2.jpg", "dtd/striped_1.jpg",
        "pascal/val_1.jpg"), set.keys(), "the image with only a material segmentation is dropped");
    assertEquals(-1, set.indexOf("os/material_only.jpg"));
    for (int i = 0; i < set.size(); i++) {
      BrodenAnnotation a = set.read(i);
      assertFalse(a.planeCategories().contains("material"));
      assertMatchesExpected(set, a);
    }
    BrodenImage row = set.image(0);
    assertEquals(2, row.line());
    assertEquals("train", row.split());
    assertEquals(12, row.ih());
    assertEquals(16, row.iw());
  }

  @Test
  void splitAndCategoriesFilterRows() {
    BrodenSet val = BrodenSet.open(set(), null, "val");
    assertEquals(List.of("pascal/val_1.jpg"), val.keys());
    BrodenSet scenes = BrodenSet.open(set(), List.of("scene", "texture"), null);
    assertEquals(List.of("scene", "texture"), scenes.categories());
    assertEquals(List.of("ade20k/ADE_train_1.jpg", "ade20k/ADE_train_2.jpg", "dtd/striped_1.jpg"), scenes.keys());
    assertTrue(scenes.read(0).planes().isEmpty());
    assertArrayEquals(new int[] {1000}, scenes.read(0).imageLabels());
  }

  @Test
  void primaryCategoriesAsNetDissectLite() {
    Csv.Table t = Csv.read(resource("expected/primary.csv"));
    Map<String, BrodenSet> sets = Map.of("default", BrodenSet.open(set()), "all", BrodenSet.open(set(), ALL, null));
    Map<String, Integer> rows = new HashMap<>();
    for (int i = 0; i < t.size(); i++) {
      BrodenSet set = sets.get(t.get(i, 0));
      int number = (int) t.getLong(i, 1);
      assertEquals(t.get(i, 2), set.primaryCategory(number), t.get(i, 0) + " label " + number);
      rows.merge(t.get(i, 0), 1, Integer::sum);
    }
    assertEquals(1102, sets.get("all").labelCount());
    assertEquals(Map.of("default", 1102, "all", 1102), rows);
    // The two cases the fixture was made for: 'wheel' covers more as a part; 'glass' ties object and material.
    assertEquals("part", sets.get("all").primaryCategory(301));
    assertEquals("material", sets.get("all").primaryCategory(600));
    assertEquals("object", sets.get("default").primaryCategory(600));
  }

  @Test
  void labelsAndCodes() {
    BrodenSet set = BrodenSet.open(set(), ALL, null);
    assertEquals("-", set.label(0).name());
    assertEquals("sky", set.label(258).name());
    assertEquals(List.of("individual", "someone"), set.label(300).syns());
    assertEquals(Map.of("object", 5L, "part", 9L), set.label(301).categoryCounts());
    assertEquals(List.of("object", "part"), List.copyOf(set.label(301).categoryCounts().keySet()));
    assertFalse(set.hasLabel(2000));
    assertFalse(set.hasLabel(4));
    assertEquals(15, set.labels().size());
    assertEquals(4, set.code("object", 301));
    assertEquals(1, set.code("part", 301));
    assertEquals(0, set.code("scene", 301));
    assertEquals(258, set.number("object", 2));
    assertEquals(0.8, set.coverage("part", 301));
    assertEquals("object", set.allCategories().get(1).name());
    assertEquals(5, set.allCategories().get(1).last());
    assertThrows(IllegalArgumentException.class, () -> BrodenSet.open(set()).code("material", 600));
  }

  @Test
  void imageRefsAndFiles() throws Exception {
    BrodenSet set = BrodenSet.open(set());
    set.checkFiles();
    List<ImageRef> refs = set.imageRefs();
    assertEquals(set.keys(), refs.stream().map(ImageRef::key).toList());
    for (ImageRef r : refs) {
      assertTrue(Files.isRegularFile(Path.of(r.path())), r.path());
      assertTrue(r.path().endsWith(".jpg"));
    }
    // Serializable, for workers: a copy reads the same annotations.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(set);
    }
    BrodenSet copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (BrodenSet) in.readObject();
    }
    assertEquals(set.keys(), copy.keys());
    assertEquals(set.indexOf("pascal/val_1.jpg"), copy.indexOf("pascal/val_1.jpg"));
    for (int i = 0; i < set.size(); i++) {
      assertEquals(set.read(i).planes().size(), copy.read(i).planes().size());
      for (int k = 0; k < set.read(i).planes().size(); k++) {
        assertArrayEquals(set.read(i).planes().get(k), copy.read(i).planes().get(k));
      }
    }
    assertArrayEquals(set.primaryCategories(), copy.primaryCategories());
  }

  @Test
  void imagesReadInParallelAgree() {
    BrodenSet set = BrodenSet.open(set(), ALL, null);
    List<int[]> serial = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      serial.addAll(set.read(i).planes());
    }
    for (int round = 0; round < 5; round++) {
      List<int[]> parallel = java.util.stream.IntStream.range(0, set.size()).parallel().mapToObj(set::read)
          .toList().stream().flatMap(a -> a.planes().stream()).toList();
      assertEquals(serial.size(), parallel.size());
      for (int k = 0; k < serial.size(); k++) {
        assertArrayEquals(serial.get(k), parallel.get(k));
      }
    }
  }

  @Test
  void probesForTheNetDissectKernels() {
    BrodenSet set = BrodenSet.open(set());
    ConceptTable table = BrodenProbes.conceptTable(set);
    assertEquals(set.categories(), table.categories());
    assertEquals(1102, table.concepts());
    int object = set.categories().indexOf("object");
    assertEquals(-1, table.category(0));
    assertEquals(-1, table.category(4), "a number label.csv lacks");
    assertEquals(-1, table.category(700), "wood is material only, which is not selected");
    assertEquals(object, table.category(600));
    assertEquals(set.categories().indexOf("part"), table.category(301));
    assertEquals(set.categories().indexOf("texture"), table.category(1101));
    assertEquals(3, BrodenProbes.conceptTable(BrodenSet.open(set(), ALL, null)).category(700));
    for (int i = 0; i < set.size(); i++) {
      BrodenAnnotation a = set.read(i);
      ProbeAnnotation p = BrodenProbes.read(set, i);
      assertEquals(a.height(), p.height());
      assertEquals(a.width(), p.width());
      assertEquals(a.planes().size(), p.planes().size());
      for (int k = 0; k < a.planes().size(); k++) {
        assertArrayEquals(a.planes().get(k), p.planes().get(k));
      }
      assertArrayEquals(a.imageLabels(), p.imageConcepts());
      assertArrayEquals(a.categories().stream().mapToInt(set.categories()::indexOf).toArray(), p.categories());
    }
    assertArrayEquals(new int[] {0, 1, 2, 3}, BrodenProbes.read(set, 0).categories(), "color, object, part, scene");
  }

  // ------------------------------------------------------------------------------------------------------------
  // Bad input: each a one-line message naming the file and what was expected
  // ------------------------------------------------------------------------------------------------------------

  /** A copy of the fixture set to break. */
  private Path copy() throws IOException {
    Path src = set();
    Path dst = tmp.resolve("set");
    try (Stream<Path> walk = Files.walk(src)) {
      for (Path p : walk.toList()) {
        Path q = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
    return dst;
  }

  private static void edit(Path file, String from, String to) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      assertTrue(s.contains(from), file + " lacks '" + from + "'");
      Files.writeString(file, s.replace(from, to), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fails(Runnable r, String... parts) {
    InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
    String m = e.getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    for (String p : parts) {
      assertTrue(m.contains(p), "'" + p + "' not in: " + m);
    }
    return m;
  }

  private static void writePng(Path file, int height, int width, int type, int label) throws IOException {
    BufferedImage img = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, (label % 256) << 16 | (label / 256) << 8 | 77);
      }
    }
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  @Test
  void missingSegmentationIsNamed() throws IOException {
    Path root = copy();
    Files.delete(root.resolve("images/ade20k/ADE_train_2_object.png"));
    BrodenSet set = BrodenSet.open(root);
    set.read(0); // other images read
    fails(() -> set.read(1), "ADE_train_2_object.png", "no such file", "index.csv line 3", "column object");
    fails(set::checkFiles, "index.csv", "1 file(s)", "ADE_train_2_object.png", "line 3, column object");
  }

  @Test
  void missingImageIsNamedByCheckFiles() throws IOException {
    Path root = copy();
    Files.delete(root.resolve("images/dtd/striped_1.jpg"));
    fails(() -> BrodenSet.open(root).checkFiles(), "striped_1.jpg", "line 4, column image");
  }

  @Test
  void segmentationOfAnotherSize() throws IOException {
    Path root = copy();
    writePng(root.resolve("images/ade20k/ADE_train_2_object.png"), 5, 8, BufferedImage.TYPE_INT_RGB, 258);
    fails(() -> BrodenSet.open(root).read(1), "ADE_train_2_object.png", "5 x 8 pixels",
        "expected sh x sw = 6 x 8", "index.csv line 3");
  }

  @Test
  void segmentationThatIsNotRgb() throws IOException {
    Path root = copy();
    writePng(root.resolve("images/ade20k/ADE_train_2_object.png"), 6, 8, BufferedImage.TYPE_BYTE_GRAY, 0);
    fails(() -> BrodenSet.open(root).read(1), "ADE_train_2_object.png", "grey", "expected an 8-bit RGB or RGBA");
    Files.writeString(root.resolve("images/ade20k/ADE_train_2_object.png"), "not a png");
    fails(() -> BrodenSet.open(root).read(1), "ADE_train_2_object.png", "expected a PNG segmentation");
  }

  @Test
  void pixelLabelAbsentFromLabelCsv() throws IOException {
    Path root = copy();
    writePng(root.resolve("images/ade20k/ADE_train_2_object.png"), 6, 8, BufferedImage.TYPE_INT_RGB, 999);
    fails(() -> BrodenSet.open(root).read(1), "ADE_train_2_object.png", "pixel (row 0, column 0)", "label 999",
        "label.csv");
  }

  @Test
  void imageLevelLabelAbsentFromLabelCsv() throws IOException {
    Path root = copy();
    edit(root.resolve("index.csv"), ",1001,1100;1101", ",1001,1100;1102");
    fails(() -> BrodenSet.open(root), "index.csv: line 3, column texture", "label 1102", "label.csv");
  }

  @Test
  void codeFileLabelAbsentFromLabelCsv() throws IOException {
    Path root = copy();
    edit(root.resolve("c_scene.csv"), "2,1001,kitchen", "2,1002,kitchen");
    fails(() -> BrodenSet.open(root), "c_scene.csv: line 3, column number", "label 1002", "label.csv");
    // Not read when its category is not selected, as NetDissect-Lite.
    BrodenSet.open(root, List.of("object"), null);
  }

  @Test
  void categoryColumnThatCategoryCsvLacks() throws IOException {
    Path root = copy();
    edit(root.resolve("category.csv"), "texture,1,2,2,2\n", "");
    fails(() -> BrodenSet.open(root), "index.csv: column 'texture' is not a category of", "category.csv");
  }

  @Test
  void missingRequiredColumns() throws IOException {
    Path root = copy();
    edit(root.resolve("index.csv"), "image,split,ih,iw,sh,sw,", "image,split,ih,iw,height,sw,");
    fails(() -> BrodenSet.open(root), "index.csv: no 'sh' column");
    edit(root.resolve("index.csv"), "image,split,ih,iw,height,sw,", "image,split,ih,iw,sh,sw,");
    edit(root.resolve("label.csv"), "number,name,", "num,name,");
    fails(() -> BrodenSet.open(root), "label.csv: no 'number' column");
    edit(root.resolve("label.csv"), "num,name,", "number,name,");
    edit(root.resolve("c_object.csv"), "frequency,coverage", "frequency,cov");
    fails(() -> BrodenSet.open(root), "c_object.csv: no 'coverage' column");
    edit(root.resolve("c_object.csv"), "frequency,cov", "frequency,coverage");
    edit(root.resolve("category.csv"), "name,first", "category,first");
    fails(() -> BrodenSet.open(root), "category.csv: no 'name' column");
  }

  @Test
  void missingTableFiles() throws IOException {
    Path root = copy();
    Files.delete(root.resolve("c_part.csv"));
    fails(() -> BrodenSet.open(root), "c_part.csv: no such file");
    BrodenSet.open(root, List.of("object", "scene"), null);
    fails(() -> BrodenSet.open(tmp.resolve("nothing")), "nothing: no such folder", "index.csv");
  }

  @Test
  void badNumbersAreNamed() throws IOException {
    Path root = copy();
    edit(root.resolve("index.csv"), "dtd/striped_1.jpg,train,12,16,6,8", "dtd/striped_1.jpg,train,12,16,6,x");
    fails(() -> BrodenSet.open(root), "index.csv: line 4", "sw", "'x'");
    edit(root.resolve("index.csv"), "dtd/striped_1.jpg,train,12,16,6,x", "dtd/striped_1.jpg,train,12,16,6,0");
    fails(() -> BrodenSet.open(root), "index.csv: line 4, column sw", "positive");
    edit(root.resolve("index.csv"), "dtd/striped_1.jpg,train,12,16,6,0", "dtd/striped_1.jpg,train,12,16,6,8");
    edit(root.resolve("label.csv"), "object(5);part(9)", "object 5");
    fails(() -> BrodenSet.open(root), "label.csv: line 8, column category", "object(12)");
  }

  @Test
  void duplicateAndEscapingImagePaths() throws IOException {
    Path root = copy();
    edit(root.resolve("index.csv"), "dtd/striped_1.jpg,", "ade20k/ADE_train_2.jpg,");
    fails(() -> BrodenSet.open(root), "index.csv: line 4, column image", "listed twice");
    edit(root.resolve("index.csv"), "ade20k/ADE_train_2.jpg,train,12,16,6,8,,,,,,1100",
        "../striped_1.jpg,train,12,16,6,8,,,,,,1100");
    fails(() -> BrodenSet.open(root), "index.csv: line 4, column image", "under images/");
  }

  @Test
  void emptyProbeSet() {
    fails(() -> BrodenSet.open(set(), null, "test"), "index.csv: no image annotated", "split 'test'");
    fails(() -> BrodenSet.open(set(), List.of("scene"), "val"), "index.csv: no image annotated in the categories"
        + " scene");
  }

  @Test
  void unknownCategoryIsAParameterError() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> BrodenSet.open(set(), List.of("object", "shape"), null));
    assertEquals("categories", e.parameter());
    assertTrue(e.getMessage().contains("'shape'"), e.getMessage());
    assertThrows(InvalidParameterException.class, () -> BrodenSet.open(set(), List.of(), null));
  }
}
