package org.clipmsm.netdissect;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidParameterException;

/**
 * Network Dissection's counts for a chunk of voxels over probe images (NetDissect-Lite's {@code tally_job}), and the
 * IoU and labels they give (docs/method.md §5):
 *
 * <ul>
 *   <li>{@link #intersection(int, int) intersection[v][c]}: pixels where voxel v's mask is on and the pixel carries
 *       concept c (once per label plane that has c there); for an image-level concept, the voxel's mask pixels in
 *       every image with that concept;
 *   <li>{@link #unitArea(int, int) unitArea[v][k]}: voxel v's mask pixels in the images that count for category k
 *       (see {@link NetDissection.UnitArea});
 *   <li>{@link #conceptArea(int) conceptArea[c]}: pixels carrying c, plus {@code sh x sw} per image with c as an
 *       image-level concept;
 *   <li>IoU(v, c) = {@code inter / (unitArea[v][cat(c)] + conceptArea[c] - inter + 1e-10)}, in double as NumPy
 *       computes NetDissect-Lite's formula (the counts are exact integers there too); 0/0 gives 0.
 * </ul>
 *
 * <p>A voxel's mask in an image is {@code upsample(A_v) > T_v}, with {@code upsample} exactly {@link PilFloatResize}
 * (Pillow's bilinear 'F' resize to the segmentation size) and {@code T_v} from {@link UpperQuantiles}. The work is
 * done by a fused kernel, image by image for the whole chunk: see {@link #addImage}. All counts are integers, so
 * tallies of disjoint image sets {@link #merge merge} exactly and the result does not depend on the order of images,
 * on how they are batched, nor on how voxels are chunked.
 *
 * <p>Not thread-safe (it keeps scratch buffers): one tally per worker, merged afterwards.
 */
public final class ConceptTally implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ConceptTable table;
  private final double[] thresholds;
  private final NetDissection.UnitArea rule;
  private final int voxels;
  private final int concepts;
  private final int categories;
  private final long[] intersection;
  private final long[] unitArea;
  private final long[] maskPixels;
  private final long[] conceptArea;
  private long images;
  private long pixelTests;
  private transient MaskKernel kernel;

  private ConceptTally(ConceptTable table, double[] thresholds, NetDissection.UnitArea rule) {
    this.table = table;
    this.thresholds = thresholds;
    this.rule = rule;
    this.voxels = thresholds.length;
    this.concepts = table.concepts();
    this.categories = table.categoryCount();
    long cells = (long) voxels * concepts;
    InvalidParameterException.require(cells <= Integer.MAX_VALUE - 8, "thresholds/table",
        voxels + " voxels x " + concepts + " concepts exceed one array; use smaller chunks of voxels");
    this.intersection = new long[(int) cells];
    this.unitArea = new long[voxels * categories];
    this.maskPixels = new long[voxels];
    this.conceptArea = new long[concepts];
  }

  /**
   * An empty tally for a chunk of voxels.
   *
   * @param table the concepts and their categories
   * @param thresholds the chunk's {@code T_v} ({@link UpperQuantiles#thresholds()}), one per voxel
   * @param rule which mask pixels count in the union ({@link NetDissection#unitArea()})
   */
  public static ConceptTally create(ConceptTable table, double[] thresholds, NetDissection.UnitArea rule) {
    for (int v = 0; v < thresholds.length; v++) {
      if (!Double.isFinite(thresholds[v])) {
        throw new InvalidParameterException("thresholds", "expected finite thresholds, got " + thresholds[v]
            + " for voxel " + v);
      }
    }
    return new ConceptTally(table, thresholds.clone(), java.util.Objects.requireNonNull(rule, "rule"));
  }

  /**
   * Adds a batch of images: {@code maps} as {@link ActivationMaps#compute} gives them, {@code (images, mapHeight,
   * mapWidth, voxels)} with the voxel innermost, and one annotation per image in the same order.
   */
  public void add(float[] maps, int mapHeight, int mapWidth, List<ProbeAnnotation> annotations) {
    long per = (long) mapHeight * mapWidth * voxels;
    InvalidParameterException.require(mapHeight > 0 && mapWidth > 0, "mapHeight/mapWidth",
        "expected a positive map size, got " + mapHeight + " x " + mapWidth);
    InvalidParameterException.require(maps.length == per * annotations.size(), "maps",
        "expected " + annotations.size() + " images x " + mapHeight + " x " + mapWidth + " x " + voxels + " voxels = "
            + per * annotations.size() + " values, got " + maps.length);
    for (int i = 0; i < annotations.size(); i++) {
      addImage(maps, (int) (i * per), mapHeight, mapWidth, annotations.get(i));
    }
  }

  /**
   * Adds one image: its maps at {@code maps[offset + (y * mapWidth + x) * voxels + v]} and its annotation.
   *
   * <p>The fused kernel. A pixel's upsampled value is a convex combination (non-negative weights summing to 1) of
   * the map values in its filter's support, and stays so through Pillow's float rounding, so it can exceed {@code
   * T_v} only if a value in its support does (NetDissect-Lite skips a whole image on this ground when the map's
   * maximum is at most {@code T_v}). Output pixels whose supports are the same form a cell (for 7 x 7 to 112 x 112, an
   * 8 x 8 grid of cells of about 14 x 14 pixels, each reading 2 x 2 map values); a cell computes only the voxels with
   * a value above their threshold in its support, gathered into contiguous arrays. In a cell, column by column:
   * Pillow's horizontal pass for the support rows, rounded to float as Pillow stores it; the voxels whose horizontal
   * values there exceed the threshold (the vertical pass is again a convex combination of them), gathered; then per
   * pixel of the column the (at most 2) vertical weights are looked up once and applied across those voxels (voxel
   * innermost), with the threshold test in the same loop, and the pixels that are on are counted at once into the
   * label planes' concepts, the voxel's mask and the categories it meets. The test {@code (float) s > T_v} on the
   * vertical sum {@code s} is done as {@code s > T'_v} with a double {@code T'_v} that decides the same way (see
   * {@link MaskKernel#sumThreshold}). The skipped work is provably below the threshold, so the counts are those of
   * the dense pass, pixel for pixel ({@code FusedKernelTest}).
   */
  public void addImage(float[] maps, int offset, int mapHeight, int mapWidth, ProbeAnnotation annotation) {
    InvalidParameterException.require(mapHeight > 0 && mapWidth > 0, "mapHeight/mapWidth",
        "expected a positive map size, got " + mapHeight + " x " + mapWidth);
    InvalidParameterException.require(offset >= 0
        && offset + (long) mapHeight * mapWidth * voxels <= maps.length, "maps",
        "expected " + mapHeight + " x " + mapWidth + " x " + voxels + " values from index " + offset + ", got "
            + maps.length + " values");
    if (kernel == null) {
      kernel = new MaskKernel(table, thresholds);
    }
    kernel.addImage(this, maps, offset, mapHeight, mapWidth, annotation);
    images++;
  }

  /** Adds the counts of {@code other}, a tally of the same chunk (same table, thresholds, rule) over other images. */
  public void merge(ConceptTally other) {
    InvalidParameterException.require(other.table.equals(table) && Arrays.equals(other.thresholds, thresholds)
        && other.rule == rule, "other", "expected a tally of the same concepts, thresholds and rule");
    add(intersection, other.intersection);
    add(unitArea, other.unitArea);
    add(maskPixels, other.maskPixels);
    add(conceptArea, other.conceptArea);
    images += other.images;
    pixelTests += other.pixelTests;
  }

  private static void add(long[] into, long[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  // --- counts as the kernel adds them ------------------------------------------------------------------------------

  void countConcept(int c, long pixels) {
    conceptArea[c] += pixels;
  }

  /** The intersection counts, {@code [voxel * concepts + concept]}, for the kernel to add to in place. */
  long[] intersectionCounts() {
    return intersection;
  }

  void countIntersection(int v, int c, long pixels) {
    intersection[v * concepts + c] += pixels;
  }

  void countUnitArea(int v, int k, long pixels) {
    unitArea[v * categories + k] += pixels;
  }

  void countTests(long n) {
    pixelTests += n;
  }

  void countMask(int v, long pixels) {
    maskPixels[v] += pixels;
  }

  NetDissection.UnitArea rule() {
    return rule;
  }

  // --- results ---------------------------------------------------------------------------------------------------

  public int voxels() {
    return voxels;
  }

  public ConceptTable table() {
    return table;
  }

  /** The thresholds {@code T_v} this tally masks with. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  /** Images added. */
  public long images() {
    return images;
  }

  /**
   * (pixel, voxel) pairs whose upsampled value the kernel computed and tested, of the {@code images x sh x sw x
   * voxels} a dense pass would test (the rest provably stay below the threshold): a measure of the work done.
   */
  public long pixelTests() {
    return pixelTests;
  }

  public long intersection(int voxel, int concept) {
    return intersection[voxel * concepts + concept];
  }

  public long unitArea(int voxel, int category) {
    return unitArea[voxel * categories + category];
  }

  /** Voxel's mask pixels over all images (NetDissect-Lite's {@code tally_units}). */
  public long maskPixels(int voxel) {
    return maskPixels[voxel];
  }

  public long conceptArea(int concept) {
    return conceptArea[concept];
  }

  /** IoU of voxel and concept; 0 for a concept that is not scored (category -1). */
  public double iou(int voxel, int concept) {
    int k = table.category(concept);
    if (k < 0) {
      return 0.0;
    }
    long inter = intersection[voxel * concepts + concept];
    long union = unitArea[voxel * categories + k] + conceptArea[concept] - inter;
    return inter / ((double) union + 1e-10);
  }

  /** Voxel's label: the concept of highest IoU, ties to the lower number; see {@link VoxelLabel}. */
  public VoxelLabel label(int voxel, double iouThreshold) {
    int best = 0;
    double bestIou = 0.0;
    for (int c = 1; c < concepts; c++) {
      double iou = iou(voxel, c);
      if (iou > bestIou) {
        best = c;
        bestIou = iou;
      }
    }
    int k = best == 0 ? -1 : table.category(best);
    return new VoxelLabel(best, k, bestIou, best != 0 && bestIou >= iouThreshold);
  }

  /** Every voxel's label, in chunk order. */
  public List<VoxelLabel> labels(double iouThreshold) {
    List<VoxelLabel> out = new ArrayList<>(voxels);
    for (int v = 0; v < voxels; v++) {
      out.add(label(v, iouThreshold));
    }
    return out;
  }

  /** Whether the counts equal another tally's (the scratch buffers aside). */
  public boolean sameCounts(ConceptTally o) {
    return o.images == images && Arrays.equals(o.intersection, intersection) && Arrays.equals(o.unitArea, unitArea)
        && Arrays.equals(o.maskPixels, maskPixels) && Arrays.equals(o.conceptArea, conceptArea);
  }
}
