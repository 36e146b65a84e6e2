package org.clipmsm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.netdissect.ActivationMaps;
import org.clipmsm.netdissect.ConceptTable;
import org.clipmsm.netdissect.MapGeometry;
import org.clipmsm.netdissect.NetDissect;
import org.clipmsm.netdissect.NetDissection;
import org.clipmsm.netdissect.ProbeAnnotation;
import org.clipmsm.netdissect.UpperQuantiles;

/**
 * Network Dissection of encoding-model voxels (docs/method.md §5) on a synthetic Broden-sized probe set: dense
 * features {@code (images, 7, 7, D)} and weights {@code D x voxels} drawn at random, 112 x 112 segmentations of
 * rectangles of labels (an object plane on every image, a part plane on a third, a color plane on half, a scene and
 * a texture label per image), {@code concepts} labels over object, part, color, scene and texture. The full
 * size is 10,000 images x 5,000 voxels x 1,200 concepts; the default is smaller so it runs in about a minute.
 * Generating the data is not timed.
 *
 * <p>Two references measured in the same run, after an untimed warm-up. The map products (both passes: thresholds,
 * then masks) against plain dgemm doing the same multiply-adds ({@code 2 passes x images x 49 x D x voxels}); the
 * products run as fixed-shape dgemm tiles (128 voxels x 1,024 positions, padded) so that chunking cannot change a
 * bit, and the ratio says what that, the padding and the float conversion cost. The mask pass against a cost model:
 * a dense pass, NetDissect-Lite's way, tests every pixel of every image for every voxel ({@code images x 112 x 112 x
 * voxels}), each test two multiply-adds, a compare and a counter update per label plane; that arithmetic streamed
 * over cache-resident arrays on all cores, timed here, is the floor of such a pass. The kernel tests only the pixels
 * whose bilinear support and column hold a value above the threshold (the rest are provably off), so it runs far
 * below that floor; the detail line gives its cost per test actually made.
 */
public final class NetDissectBenchmark {
  /** Defaults of {@code clipmsm bench netdissect}: about a minute on a 2-core machine. */
  public static final int DEFAULT_IMAGES = 3000;
  public static final int DEFAULT_VOXELS = 5000;
  public static final int DEFAULT_CONCEPTS = 1200;
  public static final int DEFAULT_FEATURES = 512;
  public static final int DEFAULT_VOXELS_PER_CHUNK = 1024;
  private static final int MAP = 7;
  private static final int SEGMENTATION = 112;
  private static final List<String> CATEGORIES = List.of("object", "part", "color", "scene", "texture");

  private NetDissectBenchmark() {}

  public static void main(String[] args) {
    run(RidgeBenchmark.intArg(args, 0, DEFAULT_IMAGES), RidgeBenchmark.intArg(args, 1, DEFAULT_VOXELS),
        RidgeBenchmark.intArg(args, 2, DEFAULT_CONCEPTS), RidgeBenchmark.intArg(args, 3, DEFAULT_FEATURES),
        RidgeBenchmark.intArg(args, 4, DEFAULT_VOXELS_PER_CHUNK));
  }

  /** Seconds of the whole dissection. */
  public static double run(int images, int voxels, int concepts, int features, int voxelsPerChunk) {
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.printf("netdissect benchmark: %d images x %d x %d positions x %d features, %d voxels, %d concepts,"
        + " %d x %d segmentations, %d voxels per chunk, %d threads, native BLAS: %s%n", images, MAP, MAP, features,
        voxels, concepts, SEGMENTATION, SEGMENTATION, voxelsPerChunk, threads, Linalg.isNative());
    MapGeometry g = new MapGeometry(MAP, MAP, features);
    float[] dense = dense(images, g);
    Matrix weights = weights(features, voxels);
    ConceptTable table = table(concepts);
    List<ProbeAnnotation> annotations = annotations(images, concepts);
    double planes = annotations.stream().mapToInt(a -> a.planes().size()).average().orElse(0);
    // JIT warm-up, not timed: the kernels' loops compiled (a cold first run is several times slower).
    int warm = Math.min(images, 200);
    NetDissect.dissect(java.util.Arrays.copyOf(dense, (int) g.values(warm)), g, weights.selectColumns(0,
        Math.min(voxels, 256)), annotations.subList(0, warm), table, NetDissection.defaults(), voxelsPerChunk);

    long t0 = System.nanoTime();
    NetDissect.Result r = NetDissect.dissect(dense, g, weights, annotations, table, NetDissection.defaults(),
        voxelsPerChunk);
    double total = (System.nanoTime() - t0) / 1e9;
    double maps = r.mapNanos() / 1e9;
    double thresholds = r.thresholdNanos() / 1e9;
    double masks = r.maskNanos() / 1e9;
    long interpretable = r.labels().stream().filter(l -> l.interpretable()).count();
    int kept = UpperQuantiles.create(1, (long) images * MAP * MAP, NetDissection.DEFAULT_QUANTILE).kept();
    System.out.printf("maps (dgemm tiles of %s, 2 passes) %.2f s; thresholds (exact, top-%d buffers) %.2f s; masks"
        + " (upsample, threshold, count) %.2f s; in all %.2f s; %d of %d voxels interpretable%n", tileShape(), maps,
        kept, thresholds, masks, total, interpretable, voxels);

    double flops = 2.0 * 2 * images * MAP * MAP * (double) features * voxels;
    double floor = DgemmFloor.secondsFor(flops);
    System.out.printf("map products: %.2f s; plain dgemm for the same %.0f GFLOP: %.2f s (%.0f GFLOP/s); ratio"
        + " %.2fx%n", maps, flops / 1e9, floor, flops / floor / 1e9, maps / floor);

    double nominal = (double) images * SEGMENTATION * SEGMENTATION * voxels;
    long tests = r.pixelTests();
    double rate = streamedTestsPerSecond(threads, (int) Math.round(planes));
    double densePass = nominal / rate;
    System.out.printf("mask pass: %.2f s; a dense pass (every pixel of every image for every voxel, NetDissect-Lite's"
        + " way) tests %.3g pixels: at the streamed rate of its arithmetic (%.3g tests/s, %.1f planes) %.2f s; ratio"
        + " %.3fx (%.0fx faster)%n", masks, nominal, rate, planes, densePass, masks / densePass, densePass / masks);
    System.out.printf("mask pass detail: %.3g (pixel, voxel) tests, %.2f%% of the dense pass's (the rest provably"
        + " off); %.1f ns per test in all (%d threads) against %.1f ns streamed%n", (double) tests,
        100.0 * tests / nominal, masks * threads * 1e9 / tests, threads, threads * 1e9 / rate);
    System.out.printf("whole dissection %.2f s = %.2fx the dgemm floor of its products%n", total, total / floor);
    return total;
  }

  /**
   * Tests per second of the mask pass's inner arithmetic alone, on all cores: per test two multiply-adds, a compare
   * against the voxel's threshold and a counter update per plane, over 256 voxels in L1.
   */
  static double streamedTestsPerSecond(int threads, int planes) {
    int m = 256;
    long perThread = 200_000_000L;
    int pixels = (int) (perThread / m);
    long t0 = System.nanoTime();
    long sink = IntStream.range(0, threads).parallel().mapToLong(k -> {
      SplittableRandom rnd = new SplittableRandom(k);
      double[] h0 = new double[m];
      double[] h1 = new double[m];
      double[] tc = new double[m];
      for (int t = 0; t < m; t++) {
        h0[t] = rnd.nextDouble();
        h1[t] = rnd.nextDouble();
        tc[t] = 0.9;
      }
      int[] tot = new int[m];
      int[] bits = new int[m];
      int[][] cnt = new int[Math.max(planes, 1)][m];
      for (int p = 0; p < pixels; p++) {
        double k0 = (p & 15) / 16.0;
        double k1 = 1 - k0;
        for (int t = 0; t < m; t++) {
          double s = h0[t] * k0 + h1[t] * k1;
          int b = s > tc[t] ? 1 : 0;
          bits[t] = b;
          tot[t] += b;
        }
        for (int pl = 0; pl < planes; pl++) {
          int[] c = cnt[pl];
          for (int t = 0; t < m; t++) {
            c[t] += bits[t];
          }
        }
      }
      long s = 0;
      for (int t = 0; t < m; t++) {
        s += tot[t] + cnt[0][t];
      }
      return s;
    }).sum();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (sink == 42) {
      System.out.print("");
    }
    return (double) threads * pixels * m / secs;
  }

  /** {@code (images, 7, 7, D)} standard normal features, drawn per image (parallel, reproducible). */
  static float[] dense(int images, MapGeometry g) {
    int per = (int) g.values(1);
    float[] d = new float[Math.toIntExact(g.values(images))];
    IntStream.range(0, images).parallel().forEach(i -> {
      SplittableRandom rnd = new SplittableRandom(0xD15EC7L + i);
      for (int k = i * per; k < (i + 1) * per; k++) {
        // Sum of uniforms: close to normal, much cheaper than nextGaussian.
        d[k] = (float) (rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5) * 2;
      }
    });
    return d;
  }

  static Matrix weights(int features, int voxels) {
    double[] w = new double[features * voxels];
    IntStream.range(0, voxels).parallel().forEach(v -> {
      SplittableRandom rnd = new SplittableRandom(0x3E16L + v);
      for (int k = 0; k < features; k++) {
        w[v * features + k] = (rnd.nextDouble() - 0.5) / Math.sqrt(features);
      }
    });
    return new Matrix(features, voxels, w);
  }

  /** Concept 0 unlabelled; the rest in blocks: object 50%, part 20%, color 5%, scene 15%, texture 10%. */
  static ConceptTable table(int concepts) {
    int[] cat = new int[concepts];
    cat[0] = -1;
    for (int c = 1; c < concepts; c++) {
      double f = (double) c / concepts;
      cat[c] = f < 0.5 ? 0 : f < 0.7 ? 1 : f < 0.75 ? 2 : f < 0.9 ? 3 : 4;
    }
    return new ConceptTable(CATEGORIES, cat);
  }

  static List<ProbeAnnotation> annotations(int images, int concepts) {
    ProbeAnnotation[] out = new ProbeAnnotation[images];
    int[] bounds = {1, (int) (0.5 * concepts), (int) (0.7 * concepts), (int) (0.75 * concepts),
        (int) (0.9 * concepts), concepts};
    IntStream.range(0, images).parallel().forEach(i -> {
      SplittableRandom rnd = new SplittableRandom(0xB20DE7L + i);
      List<int[]> planes = new ArrayList<>();
      List<Integer> cats = new ArrayList<>();
      planes.add(rectangles(rnd, bounds[0], bounds[1], 8));
      cats.add(0);
      if (rnd.nextInt(3) == 0) {
        planes.add(rectangles(rnd, bounds[1], bounds[2], 4));
        cats.add(1);
      }
      if (rnd.nextInt(2) == 0) {
        planes.add(rectangles(rnd, bounds[2], bounds[3], 5));
        cats.add(2);
      }
      int scene = bounds[3] + rnd.nextInt(Math.max(1, bounds[4] - bounds[3]));
      int texture = bounds[4] + rnd.nextInt(Math.max(1, bounds[5] - bounds[4]));
      cats.add(3);
      cats.add(4);
      out[i] = new ProbeAnnotation(SEGMENTATION, SEGMENTATION, planes, new int[] {scene, texture},
          cats.stream().mapToInt(Integer::intValue).toArray());
    });
    return List.of(out);
  }

  /** A plane of up to {@code n} rectangles of labels in [from, to), over a background of 0. */
  private static int[] rectangles(SplittableRandom rnd, int from, int to, int n) {
    int[] plane = new int[SEGMENTATION * SEGMENTATION];
    int rects = 1 + rnd.nextInt(n);
    for (int r = 0; r < rects; r++) {
      int c = from + rnd.nextInt(Math.max(1, to - from));
      int y0 = rnd.nextInt(SEGMENTATION);
      int x0 = rnd.nextInt(SEGMENTATION);
      int y1 = Math.min(SEGMENTATION, y0 + 8 + rnd.nextInt(60));
      int x1 = Math.min(SEGMENTATION, x0 + 8 + rnd.nextInt(60));
      for (int y = y0; y < y1; y++) {
        java.util.Arrays.fill(plane, y * SEGMENTATION + x0, y * SEGMENTATION + x1, c);
      }
    }
    return plane;
  }

  /** Tiles of the map products: the fixed shape of every dgemm call. */
  static String tileShape() {
    return ActivationMaps.VOXELS_PER_TILE + " x " + ActivationMaps.ROWS_PER_TILE;
  }
}
