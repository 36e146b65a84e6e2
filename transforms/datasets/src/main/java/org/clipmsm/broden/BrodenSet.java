package org.clipmsm.broden;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.io.Csv;
import org.clipmsm.stimuli.ImageRef;

/**
 * A Broden probe set (docs/datasets.md §3) as NetDissect-Lite's {@code SegmentationData} reads it: {@code index.csv},
 * {@code category.csv}, {@code label.csv} and the {@code c_<category>.csv} of the selected categories are read when
 * the set is opened; an image's segmentation PNGs only when its annotation is asked for ({@link #read}), so workers
 * can read images in parallel (a set is immutable, thread-safe and serializable).
 *
 * <p>Columns are found by header name; every CSV is read through {@link Csv}. Opening checks what the tables say
 * (required columns, numbers, that every category column of index.csv is in category.csv, that every label number of
 * index.csv and of the {@code c_} files is in label.csv); {@link #read} checks the PNGs (present, sh x sw, labels in
 * label.csv) and {@link #checkFiles} that every file the selected rows name exists. Each problem is an
 * {@link InvalidInputException} naming the file, line and column.
 *
 * <p>Selection, as NetDissect-Lite: categories are kept in category.csv's order; a row is kept when one of its
 * selected cells holds a segmentation or a non-zero label ({@code index_has_any_data}); optionally only rows of one
 * split. A label's primary category is the selected category in which its {@code c_} coverage is largest, ties going
 * to the later category ({@code primary_categories_per_index}).
 */
public final class BrodenSet implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String INDEX = "index.csv";
  public static final String CATEGORY = "category.csv";
  public static final String LABEL = "label.csv";
  public static final String IMAGES = "images";
  /** The columns of index.csv before the category columns. */
  public static final List<String> META_COLUMNS = List.of("image", "split", "ih", "iw", "sh", "sw");
  /** NetDissect-Lite's default categories ({@code settings.CATEGORIES}): material is left out. */
  public static final List<String> DEFAULT_CATEGORIES = List.of("object", "part", "scene", "texture", "color");

  private final String root;
  private final List<BrodenCategory> allCategories;
  private final List<String> categories;
  private final String split;
  /** By number, null where label.csv has no row (0 is always the unlabelled '-'). */
  private final BrodenLabel[] labels;
  /** Per selected category: number -> code (0 = not in the category), code -> number, code -> coverage. */
  private final int[][] numberToCode;
  private final int[][] codeToNumber;
  private final double[][] codeCoverage;
  private final int[] primary;
  private final List<BrodenImage> images;
  /** Key -> position in {@link #images}. */
  private final HashMap<String, Integer> positions = new HashMap<>();

  private BrodenSet(String root, List<BrodenCategory> allCategories, List<String> categories, String split,
      BrodenLabel[] labels, int[][] numberToCode, int[][] codeToNumber, double[][] codeCoverage, int[] primary,
      List<BrodenImage> images) {
    this.root = root;
    this.allCategories = allCategories;
    this.categories = categories;
    this.split = split;
    this.labels = labels;
    this.numberToCode = numberToCode;
    this.codeToNumber = codeToNumber;
    this.codeCoverage = codeCoverage;
    this.primary = primary;
    this.images = images;
    for (int i = 0; i < images.size(); i++) {
      positions.put(images.get(i).image(), i);
    }
  }

  /** The set under {@code root} with NetDissect-Lite's default categories (those category.csv has), every split. */
  public static BrodenSet open(Path root) {
    return open(root, null, null);
  }

  /**
   * The set under {@code root}, restricted to some categories and one split.
   *
   * @param categories the categories to read (each must be in category.csv), or null for
   *     {@link #DEFAULT_CATEGORIES} (those of them that category.csv has)
   * @param split the {@code split} value of the rows to keep ({@code train}, {@code val}), or null for all rows
   * @throws InvalidInputException naming the file, line and column of what is not as expected, or if no image is
   *     left after the selection
   * @throws InvalidParameterException if a requested category is not in category.csv
   */
  public static BrodenSet open(Path root, Collection<String> categories, String split) {
    return new Reader(root).read(categories, split);
  }

  // ------------------------------------------------------------------------------------------------------------
  // The tables
  // ------------------------------------------------------------------------------------------------------------

  public Path root() {
    return Path.of(root);
  }

  /** {@code root/images}, under which index.csv's paths lie. */
  public Path imagesDir() {
    return Path.of(root).resolve(IMAGES);
  }

  /** The selected categories, in category.csv's order: the category indices of {@link #primaryCategories()}. */
  public List<String> categories() {
    return categories;
  }

  /** Every row of category.csv, in its order (selected or not). */
  public List<BrodenCategory> allCategories() {
    return allCategories;
  }

  /** The split the rows were restricted to, or null for all. */
  public String split() {
    return split;
  }

  /** One more than the largest label number of label.csv (NetDissect-Lite's {@code label_size()}). */
  public int labelCount() {
    return labels.length;
  }

  /** Whether label.csv has the number (0, the unlabelled '-', always). */
  public boolean hasLabel(int number) {
    return number >= 0 && number < labels.length && labels[number] != null;
  }

  /**
   * The label of that number.
   *
   * @throws IllegalArgumentException if label.csv has no such number
   */
  public BrodenLabel label(int number) {
    if (!hasLabel(number)) {
      throw new IllegalArgumentException("no label " + number + " in " + Path.of(root).resolve(LABEL));
    }
    return labels[number];
  }

  /** The labels of label.csv in number order (0 first). */
  public List<BrodenLabel> labels() {
    return Arrays.stream(labels).filter(l -> l != null).toList();
  }

  /**
   * Per label number (0 to {@link #labelCount()} - 1), the index in {@link #categories()} of its primary category:
   * the largest coverage in the {@code c_} files of the selected categories, ties to the later category; a number in
   * no selected category gets the last index (as NetDissect-Lite's {@code primary_categories_per_index}).
   */
  public int[] primaryCategories() {
    return primary.clone();
  }

  /** The name of a label's primary category ({@link #primaryCategories()}). */
  public String primaryCategory(int number) {
    return categories.get(primary[number]);
  }

  /** The dense code of a label within a selected category ({@code c_<category>.csv}), 0 if it is not in it. */
  public int code(String category, int number) {
    int[] map = numberToCode[categoryIndex(category)];
    return number >= 0 && number < map.length ? map[number] : 0;
  }

  /** The label number of a dense code within a selected category, 0 if the code is not listed. */
  public int number(String category, int code) {
    int[] map = codeToNumber[categoryIndex(category)];
    return code >= 0 && code < map.length ? map[code] : 0;
  }

  /** The coverage of a label within a selected category ({@code c_<category>.csv}), 0 if it is not in it. */
  public double coverage(String category, int number) {
    int c = categoryIndex(category);
    int code = code(category, number);
    return code == 0 ? 0 : codeCoverage[c][code];
  }

  private int categoryIndex(String category) {
    int c = categories.indexOf(category);
    if (c < 0) {
      throw new IllegalArgumentException("category '" + category + "' is not selected (selected: " + categories
          + ")");
    }
    return c;
  }

  // ------------------------------------------------------------------------------------------------------------
  // The images
  // ------------------------------------------------------------------------------------------------------------

  /** The number of images after the selection. */
  public int size() {
    return images.size();
  }

  /** The selected rows of index.csv, in file order. */
  public List<BrodenImage> images() {
    return images;
  }

  public BrodenImage image(int i) {
    return images.get(i);
  }

  /** The image keys (index.csv's {@code image} paths) of the selected rows, in order. */
  public List<String> keys() {
    return images.stream().map(BrodenImage::image).toList();
  }

  /** The position of the image with that key among the selected rows, or -1. */
  public int indexOf(String key) {
    return positions.getOrDefault(key, -1);
  }

  /** The image file of row {@code i}. */
  public Path imageFile(int i) {
    return imagesDir().resolve(images.get(i).image());
  }

  /**
   * The selected images as references to embed, keyed by their index.csv path (the key the netdissect step joins
   * dense features by); segmentation PNGs, which share the folder, are not among them.
   */
  public List<ImageRef> imageRefs() {
    List<ImageRef> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(ImageRef.file(images.get(i).image(), imageFile(i).toString()));
    }
    return out;
  }

  /**
   * Checks that every image and segmentation file the selected rows name exists, without decoding any.
   *
   * @throws InvalidInputException naming how many are missing and the first (its index.csv line and column)
   */
  public void checkFiles() {
    Path images = imagesDir();
    int missing = 0;
    String first = null;
    for (BrodenImage row : this.images) {
      if (!Files.isRegularFile(images.resolve(row.image()))) {
        missing++;
        first = first != null ? first : images.resolve(row.image()) + " (line " + row.line() + ", column image)";
      }
      for (BrodenImage.Cell cell : row.cells()) {
        for (String seg : cell.segmentations()) {
          if (!Files.isRegularFile(images.resolve(seg))) {
            missing++;
            first = first != null ? first : images.resolve(seg) + " (line " + row.line() + ", column "
                + cell.category() + ")";
          }
        }
      }
    }
    if (missing > 0) {
      throw new InvalidInputException(Path.of(root).resolve(INDEX) + ": " + missing + " file(s) it names do not"
          + " exist under " + images + ", the first " + first);
    }
  }

  /** The annotation of image {@code i} ({@link #read(BrodenImage)}). */
  public BrodenAnnotation read(int i) {
    return read(images.get(i));
  }

  /**
   * Reads the annotation of an image: its segmentation PNGs decoded to label planes, and its image-level labels
   * (see {@link BrodenAnnotation} for how cells become planes or labels). Thread-safe.
   *
   * @throws InvalidInputException naming the PNG and the index.csv line if a segmentation is missing, not an 8-bit
   *     RGB(A) or palette PNG, not {@code sh x sw}, or holds a label number label.csv lacks
   */
  public BrodenAnnotation read(BrodenImage row) {
    Path images = imagesDir();
    int n = row.sh() * row.sw();
    List<String> annotated = new ArrayList<>();
    List<int[]> planes = new ArrayList<>();
    List<String> planeCategories = new ArrayList<>();
    List<Integer> scalars = new ArrayList<>();
    List<String> scalarCategories = new ArrayList<>();
    for (BrodenImage.Cell cell : row.cells()) {
      annotated.add(cell.category());
      boolean imageLevel = cell.imageLevel();
      for (String e : cell.entries()) {
        if (BrodenImage.Cell.isNumber(e)) {
          int number = Integer.parseInt(e); // checked when the set was opened
          if (imageLevel) {
            scalars.add(number);
            scalarCategories.add(cell.category());
          } else {
            int[] plane = new int[n];
            Arrays.fill(plane, number);
            planes.add(plane);
            planeCategories.add(cell.category());
          }
          continue;
        }
        Path png = images.resolve(e);
        String context = "named by " + Path.of(root).resolve(INDEX) + " line " + row.line() + ", column "
            + cell.category();
        int[] plane = SegmentationPng.read(png, row.sh(), row.sw(), context);
        for (int p = 0; p < n; p++) {
          if (!hasLabel(plane[p])) {
            throw new InvalidInputException(png + ": pixel (row " + p / row.sw() + ", column " + p % row.sw()
                + ") has label " + plane[p] + " (R + 256 G), which " + LABEL + " does not list (" + context + ")");
          }
        }
        planes.add(plane);
        planeCategories.add(cell.category());
      }
    }
    return new BrodenAnnotation(row.image(), row.sh(), row.sw(), annotated, planes, planeCategories,
        scalars.stream().mapToInt(Integer::intValue).toArray(), scalarCategories);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Reading the tables
  // ------------------------------------------------------------------------------------------------------------

  private static final class Reader {
    final Path root;

    Reader(Path root) {
      this.root = root;
    }

    BrodenSet read(Collection<String> requested, String split) {
      if (!Files.isDirectory(root)) {
        throw new InvalidInputException(root + ": no such folder (expected a Broden set: " + INDEX + ", " + CATEGORY
            + ", " + LABEL + ", c_<category>.csv, " + IMAGES + "/)");
      }
      List<BrodenCategory> all = readCategories();
      BrodenLabel[] labels = readLabels();
      List<String> names = all.stream().map(BrodenCategory::name).toList();
      List<String> selected = select(names, requested);
      int k = selected.size();
      int[][] numberToCode = new int[k][];
      int[][] codeToNumber = new int[k][];
      double[][] codeCoverage = new double[k][];
      for (int c = 0; c < k; c++) {
        readCodes(selected.get(c), labels, c, numberToCode, codeToNumber, codeCoverage);
      }
      List<BrodenImage> images = readIndex(names, selected, split, labels);
      int[] primary = new int[labels.length];
      for (int number = 0; number < labels.length; number++) {
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          int code = number < numberToCode[c].length ? numberToCode[c][number] : 0;
          double cov = code != 0 ? codeCoverage[c][code] : 0;
          if (cov >= best) { // max over (coverage, category index): ties go to the later category
            best = cov;
            primary[number] = c;
          }
        }
      }
      return new BrodenSet(root.toString(), List.copyOf(all), List.copyOf(selected), split, labels, numberToCode,
          codeToNumber, codeCoverage, primary, List.copyOf(images));
    }

    Csv.Table table(String name) {
      Path file = root.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(file + ": no such file (a Broden set has " + INDEX + ", " + CATEGORY + ", "
            + LABEL + " and a c_<category>.csv per category read)");
      }
      return Csv.read(file);
    }

    static int optional(Csv.Table t, String column) {
      return t.header().indexOf(column);
    }

    static String at(Csv.Table t, int i, String column) {
      return t.file() + ": line " + t.line(i) + ", column " + column;
    }

    static int nonNegativeInt(Csv.Table t, int i, int column, String name) {
      long v = t.getLong(i, column);
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new InvalidInputException(at(t, i, name) + ": expected a non-negative whole number, got " + v);
      }
      return (int) v;
    }

    static double number(Csv.Table t, int i, int column, String name) {
      if (column < 0) {
        return 0;
      }
      String v = t.get(i, column);
      if (v.isEmpty()) {
        return 0;
      }
      try {
        double d = Double.parseDouble(v);
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new InvalidInputException(at(t, i, name) + ": expected a number, got '" + v + "'");
    }

    List<BrodenCategory> readCategories() {
      Csv.Table t = table(CATEGORY);
      int name = t.column("name");
      int first = optional(t, "first");
      int last = optional(t, "last");
      int count = optional(t, "count");
      int frequency = optional(t, "frequency");
      List<BrodenCategory> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < t.size(); i++) {
        String n = t.get(i, name);
        if (n.isEmpty() || !seen.add(n)) {
          throw new InvalidInputException(at(t, i, "name") + ": expected a category name not listed before, got '"
              + n + "'");
        }
        out.add(new BrodenCategory(n, (long) number(t, i, first, "first"), (long) number(t, i, last, "last"),
            (long) number(t, i, count, "count"), (long) number(t, i, frequency, "frequency")));
      }
      if (out.isEmpty()) {
        throw new InvalidInputException(t.file() + ": no category (expected a row per category)");
      }
      return out;
    }

    BrodenLabel[] readLabels() {
      Csv.Table t = table(LABEL);
      int numberCol = t.column("number");
      int nameCol = t.column("name");
      int categoryCol = optional(t, "category");
      int frequencyCol = optional(t, "frequency");
      int coverageCol = optional(t, "coverage");
      int synsCol = optional(t, "syns");
      Map<Integer, BrodenLabel> byNumber = new HashMap<>();
      int max = 0;
      for (int i = 0; i < t.size(); i++) {
        int number = nonNegativeInt(t, i, numberCol, "number");
        if (byNumber.containsKey(number)) {
          throw new InvalidInputException(at(t, i, "number") + ": label " + number + " is listed twice");
        }
        Map<String, Long> counts = categoryCounts(t, i, categoryCol);
        List<String> syns = new ArrayList<>();
        if (synsCol >= 0) {
          for (String s : t.get(i, synsCol).split(";", -1)) {
            if (!s.isBlank()) {
              syns.add(s.strip());
            }
          }
        }
        byNumber.put(number, new BrodenLabel(number, t.get(i, nameCol), counts,
            (long) number(t, i, frequencyCol, "frequency"), number(t, i, coverageCol, "coverage"), syns));
        max = Math.max(max, number);
      }
      BrodenLabel[] out = new BrodenLabel[max + 1];
      byNumber.forEach((n, l) -> out[n] = l);
      if (out[0] == null) {
        out[0] = new BrodenLabel(0, "-", Map.of(), 0, 0, List.of());
      }
      return out;
    }

    /** {@code object(12);part(3)} -> {object=12, part=3}; empty -> {}. */
    static Map<String, Long> categoryCounts(Csv.Table t, int i, int column) {
      Map<String, Long> out = new LinkedHashMap<>();
      if (column < 0) {
        return out;
      }
      String v = t.get(i, column);
      for (String item : v.split(";", -1)) {
        String s = item.strip();
        if (s.isEmpty()) {
          continue;
        }
        int open = s.indexOf('(');
        long count = -1;
        if (open > 0 && s.endsWith(")")) {
          try {
            count = Long.parseLong(s.substring(open + 1, s.length() - 1).strip());
          } catch (NumberFormatException e) {
            count = -1;
          }
        }
        if (count < 0) {
          throw new InvalidInputException(at(t, i, "category") + ": expected entries like object(12) separated by"
              + " ';', got '" + v + "'");
        }
        out.put(s.substring(0, open).strip(), count);
      }
      return out;
    }

    static List<String> select(List<String> names, Collection<String> requested) {
      List<String> out = new ArrayList<>();
      if (requested == null) {
        for (String n : names) {
          if (DEFAULT_CATEGORIES.contains(n)) {
            out.add(n);
          }
        }
        return out;
      }
      for (String r : requested) {
        if (!names.contains(r)) {
          throw new InvalidParameterException("categories", "'" + r + "' is not a category of the set (" + CATEGORY
              + " has " + String.join(", ", names) + ")");
        }
      }
      if (requested.isEmpty()) {
        throw new InvalidParameterException("categories", "expected at least one category (the set has "
            + String.join(", ", names) + ")");
      }
      for (String n : names) {
        if (requested.contains(n)) {
          out.add(n);
        }
      }
      return out;
    }

    void readCodes(String category, BrodenLabel[] labels, int c, int[][] numberToCode, int[][] codeToNumber,
        double[][] codeCoverage) {
      Csv.Table t = table("c_" + category + ".csv");
      int codeCol = t.column("code");
      int numberCol = t.column("number");
      int coverageCol = t.column("coverage");
      int maxCode = 0;
      int[] codes = new int[t.size()];
      int[] numbers = new int[t.size()];
      double[] coverage = new double[t.size()];
      Set<Integer> seenCodes = new HashSet<>();
      Set<Integer> seenNumbers = new HashSet<>();
      for (int i = 0; i < t.size(); i++) {
        codes[i] = nonNegativeInt(t, i, codeCol, "code");
        numbers[i] = nonNegativeInt(t, i, numberCol, "number");
        coverage[i] = number(t, i, coverageCol, "coverage");
        if (!seenCodes.add(codes[i])) {
          throw new InvalidInputException(at(t, i, "code") + ": code " + codes[i] + " is listed twice");
        }
        if (!seenNumbers.add(numbers[i])) {
          throw new InvalidInputException(at(t, i, "number") + ": label " + numbers[i] + " is listed twice");
        }
        if (numbers[i] >= labels.length || labels[numbers[i]] == null) {
          throw new InvalidInputException(at(t, i, "number") + ": label " + numbers[i] + " is not in "
              + root.resolve(LABEL));
        }
        maxCode = Math.max(maxCode, codes[i]);
      }
      numberToCode[c] = new int[labels.length];
      codeToNumber[c] = new int[maxCode + 1];
      codeCoverage[c] = new double[maxCode + 1];
      for (int i = 0; i < t.size(); i++) {
        numberToCode[c][numbers[i]] = codes[i];
        codeToNumber[c][codes[i]] = numbers[i];
        codeCoverage[c][codes[i]] = coverage[i];
      }
    }

    List<BrodenImage> readIndex(List<String> names, List<String> selected, String split, BrodenLabel[] labels) {
      Csv.Table t = table(INDEX);
      int[] meta = new int[META_COLUMNS.size()];
      for (int m = 0; m < meta.length; m++) {
        meta[m] = t.column(META_COLUMNS.get(m));
      }
      List<String> header = t.header();
      int[] selectedCol = new int[selected.size()];
      Arrays.fill(selectedCol, -1);
      for (int col = 0; col < header.size(); col++) {
        String h = header.get(col);
        if (META_COLUMNS.contains(h)) {
          continue;
        }
        if (!names.contains(h)) {
          throw new InvalidInputException(t.file() + ": column '" + h + "' is not a category of "
              + root.resolve(CATEGORY) + " (expected " + String.join(", ", META_COLUMNS)
              + " and then categories among " + String.join(", ", names) + ")");
        }
        int s = selected.indexOf(h);
        if (s >= 0) {
          if (selectedCol[s] >= 0) {
            throw new InvalidInputException(t.file() + ": column '" + h + "' appears twice");
          }
          selectedCol[s] = col;
        }
      }
      Path images = root.resolve(IMAGES).normalize();
      Set<String> keys = new HashSet<>();
      List<BrodenImage> out = new ArrayList<>();
      for (int i = 0; i < t.size(); i++) {
        String image = t.get(i, meta[0]);
        if (image.isEmpty()) {
          throw new InvalidInputException(at(t, i, "image") + ": expected the image's path under " + IMAGES
              + "/, got an empty field");
        }
        checkUnder(images, image, t, i, "image");
        if (!keys.add(image)) {
          throw new InvalidInputException(at(t, i, "image") + ": image '" + image + "' is listed twice (its path"
              + " is its key)");
        }
        String rowSplit = t.get(i, meta[1]);
        if (split != null && !split.equals(rowSplit)) {
          continue;
        }
        int[] sizes = new int[4];
        for (int m = 0; m < 4; m++) {
          long v = t.getLong(i, meta[2 + m]);
          if (v <= 0 || v > 1 << 16) {
            throw new InvalidInputException(at(t, i, META_COLUMNS.get(2 + m)) + ": expected a positive number of"
                + " pixels, got " + v);
          }
          sizes[m] = (int) v;
        }
        List<BrodenImage.Cell> cells = new ArrayList<>();
        boolean anyData = false;
        for (int s = 0; s < selected.size(); s++) {
          if (selectedCol[s] < 0) {
            continue;
          }
          String category = selected.get(s);
          List<String> entries = new ArrayList<>();
          for (String e : t.get(i, selectedCol[s]).split(";", -1)) {
            String entry = e.strip();
            if (entry.isEmpty()) {
              continue;
            }
            if (BrodenImage.Cell.isNumber(entry)) {
              int number;
              try {
                number = Integer.parseInt(entry);
              } catch (NumberFormatException x) {
                number = -1;
              }
              if (number < 0 || number >= labels.length || labels[number] == null) {
                throw new InvalidInputException(at(t, i, category) + ": label " + entry + " is not in "
                    + root.resolve(LABEL));
              }
              anyData |= number != 0;
            } else {
              checkUnder(images, entry, t, i, category);
              anyData = true;
            }
            entries.add(entry);
          }
          if (!entries.isEmpty()) {
            cells.add(new BrodenImage.Cell(category, entries));
          }
        }
        if (anyData) {
          out.add(new BrodenImage(t.line(i), image, rowSplit, sizes[0], sizes[1], sizes[2], sizes[3], cells));
        }
      }
      if (out.isEmpty()) {
        throw new InvalidInputException(t.file() + ": no image annotated in the categories "
            + String.join(", ", selected) + (split == null ? "" : " in split '" + split + "'") + " (" + t.size()
            + " rows; expected at least one image to probe with)");
      }
      return out;
    }

    static void checkUnder(Path images, String path, Csv.Table t, int i, String column) {
      Path p;
      try {
        p = Path.of(path);
      } catch (java.nio.file.InvalidPathException e) {
        throw new InvalidInputException(at(t, i, column) + ": '" + path + "' is not a path", e);
      }
      if (p.isAbsolute() || !images.resolve(p).normalize().startsWith(images)) {
        throw new InvalidInputException(at(t, i, column) + ": expected a relative path under " + IMAGES
            + "/, got '" + path + "'");
      }
    }
  }
}
