package org.clipmsm.netdissect;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.linalg.Matrix;

/**
 * Network Dissection of encoding-model voxels (docs/method.md §5), composing the kernels chunk of voxels by chunk of
 * voxels: per chunk ({@link #dissectChunk}), pass 1 computes the maps ({@link ActivationMaps}) image batch by image
 * batch into the thresholds ({@link UpperQuantiles}); pass 2 computes them again (bit-identical) and counts masks
 * against the annotations ({@link ConceptTally}). In both passes each batch is split across threads into accumulators
 * and tallies of their own, merged at the end (exactly: top-K multisets and integer counts), so the result does not
 * depend on the number of threads. Memory is bounded by the chunk: one batch of dense features and of maps (at most
 * 8,192 positions), the threshold buffers and the counts (a long per voxel and concept, per thread). The probe images
 * come from a {@link Probes}: in memory ({@link #dissect}), or read batch by batch from files by a pipeline.
 */
public final class NetDissect {
  private NetDissect() {}

  /**
   * The probe images of a dissection: their dense features by batches of images, their annotations one by one. Each
   * pass reads every image once, in order; {@link #annotation} may be called from several threads at once.
   */
  public interface Probes {
    int images();

    /**
     * The dense features of images {@code first .. first + n - 1}: an array holding them in C order {@code (n, h, w,
     * D)} from image {@link Batch#offset()} on. May reuse {@code scratch} (at least {@code n h w D} floats).
     */
    Batch dense(int first, int n, float[] scratch);

    ProbeAnnotation annotation(int image);

    /** A batch of dense features: image {@code first} is image {@code offset} of {@code values}. */
    record Batch(float[] values, int offset) {}

    /** Probe images held in memory, as {@link NetDissect#dissect} takes them. */
    static Probes inMemory(float[] dense, List<ProbeAnnotation> annotations) {
      return new Probes() {
        @Override
        public int images() {
          return annotations.size();
        }

        @Override
        public Batch dense(int first, int n, float[] scratch) {
          return new Batch(dense, first);
        }

        @Override
        public ProbeAnnotation annotation(int image) {
          return annotations.get(image);
        }
      };
    }
  }

  /** Time spent in each step, summed over the calls that share it. */
  public static final class Timing {
    long mapNanos;
    long thresholdNanos;
    long maskNanos;
  }

  /**
   * The outcome for all voxels, in voxel order, with the time spent in each step.
   *
   * @param thresholds {@code T_v}
   * @param labels each voxel's label
   * @param tallies the counts per chunk of voxels (chunk i holds voxels {@code i * voxelsPerChunk ..})
   * @param mapNanos time in the map products (both passes)
   * @param thresholdNanos time feeding and reading the threshold buffers
   * @param maskNanos time in the fused upsample-threshold-count pass (including reading annotations)
   */
  public record Result(double[] thresholds, List<VoxelLabel> labels, List<ConceptTally> tallies, int voxelsPerChunk,
      long mapNanos, long thresholdNanos, long maskNanos) {
    /** The tally holding voxel v and v's index in it. */
    public ConceptTally tallyOf(int v) {
      return tallies.get(v / voxelsPerChunk);
    }

    public double iou(int v, int concept) {
      return tallyOf(v).iou(v % voxelsPerChunk, concept);
    }

    /** (pixel, voxel) pairs tested by the mask pass over all chunks. */
    public long pixelTests() {
      return tallies.stream().mapToLong(ConceptTally::pixelTests).sum();
    }
  }

  /**
   * @param dense {@code (images, h, w, D)} float32, C-order
   * @param geometry {@code h, w, D}
   * @param weights encoding weights {@code D x voxels}
   * @param annotations one per image, in the order of {@code dense}
   * @param voxelsPerChunk voxels dissected together (memory: their maps of one image batch, their counts)
   */
  public static Result dissect(float[] dense, MapGeometry geometry, Matrix weights, List<ProbeAnnotation> annotations,
      ConceptTable table, NetDissection spec, int voxelsPerChunk) {
    int images = annotations.size();
    InvalidParameterException.require(dense.length == geometry.values(images), "dense",
        "expected " + images + " images (one per annotation) x " + geometry.height() + " x " + geometry.width()
            + " x " + geometry.features() + " = " + geometry.values(images) + " values, got " + dense.length);
    InvalidParameterException.require(voxelsPerChunk > 0, "voxelsPerChunk",
        "expected a positive number of voxels, got " + voxelsPerChunk);
    Probes probes = Probes.inMemory(dense, annotations);
    int voxels = weights.cols();
    double[] thresholds = new double[voxels];
    List<VoxelLabel> labels = new ArrayList<>(voxels);
    List<ConceptTally> tallies = new ArrayList<>();
    Timing timing = new Timing();
    for (int v0 = 0; v0 < voxels; v0 += voxelsPerChunk) {
      int m = Math.min(voxelsPerChunk, voxels - v0);
      ConceptTally tally = dissectChunk(probes, geometry, weights.selectColumns(v0, m), table, spec, timing);
      System.arraycopy(tally.thresholds(), 0, thresholds, v0, m);
      tallies.add(tally);
      labels.addAll(tally.labels(spec.iouThreshold()));
    }
    return new Result(thresholds, labels, tallies, voxelsPerChunk, timing.mapNanos, timing.thresholdNanos,
        timing.maskNanos);
  }

  /**
   * Dissects one chunk of voxels over every probe image: the two passes above, with the threads of this JVM.
   *
   * @param weights the chunk's encoding weights, {@code D x m}
   * @param timing where the time of each step is added (shared by the chunks of one run)
   * @return the counts, thresholds included; its {@link ConceptTally#labels labels} are the voxels' labels
   */
  public static ConceptTally dissectChunk(Probes probes, MapGeometry geometry, Matrix weights, ConceptTable table,
      NetDissection spec, Timing timing) {
    int images = probes.images();
    InvalidParameterException.require(weights.rows() == geometry.features(), "weights",
        "expected " + geometry.features() + " rows (one per feature), got " + weights.rows());
    InvalidParameterException.require(images > 0, "probes", "expected at least one probe image, got none");
    int positions = geometry.positions();
    int m = weights.cols();
    // Batches of at most 4 whole tiles of positions: the last tile of a batch is padded by less than one image.
    int batch = Math.max(1, Math.min(images, 4 * ActivationMaps.ROWS_PER_TILE / positions));
    int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), batch));
    ActivationMaps products = new ActivationMaps(geometry);
    float[] maps = new float[batch * positions * m];
    float[] scratch = new float[(int) geometry.values(batch)];
    UpperQuantiles[] quantiles = new UpperQuantiles[workers];
    for (int k = 0; k < workers; k++) {
      quantiles[k] = UpperQuantiles.create(m, (long) images * positions, spec.quantile());
    }
    for (int i0 = 0; i0 < images; i0 += batch) {
      int n = Math.min(batch, images - i0);
      long t0 = System.nanoTime();
      Probes.Batch b = probes.dense(i0, n, scratch);
      products.computeInto(b.values(), b.offset(), n, weights, maps);
      long t1 = System.nanoTime();
      int rows = n * positions;
      IntStream.range(0, workers).parallel().forEach(k -> {
        int r0 = (int) ((long) rows * k / workers);
        int r1 = (int) ((long) rows * (k + 1) / workers);
        quantiles[k].add(maps, r0 * m, r1 - r0);
      });
      timing.thresholdNanos += System.nanoTime() - t1;
      timing.mapNanos += t1 - t0;
    }
    long t2 = System.nanoTime();
    for (int k = 1; k < workers; k++) {
      quantiles[0].merge(quantiles[k]);
    }
    double[] t = quantiles[0].thresholds();
    timing.thresholdNanos += System.nanoTime() - t2;
    ConceptTally[] parts = new ConceptTally[workers];
    for (int k = 0; k < workers; k++) {
      parts[k] = ConceptTally.create(table, t, spec.unitArea());
    }
    for (int i0 = 0; i0 < images; i0 += batch) {
      int n = Math.min(batch, images - i0);
      long t0 = System.nanoTime();
      Probes.Batch b = probes.dense(i0, n, scratch);
      products.computeInto(b.values(), b.offset(), n, weights, maps);
      long t1 = System.nanoTime();
      int first = i0;
      IntStream.range(0, workers).parallel().forEach(k -> {
        for (int i = k; i < n; i += workers) {
          parts[k].addImage(maps, i * positions * m, geometry.height(), geometry.width(),
              probes.annotation(first + i));
        }
      });
      timing.maskNanos += System.nanoTime() - t1;
      timing.mapNanos += t1 - t0;
    }
    for (int k = 1; k < workers; k++) {
      parts[0].merge(parts[k]);
    }
    return parts[0];
  }
}
