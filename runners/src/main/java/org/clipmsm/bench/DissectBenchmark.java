package org.clipmsm.bench;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.LabelPrior;
import org.clipmsm.dissect.LabelProbabilities;
import org.clipmsm.dissect.SoftWpmi;
import org.clipmsm.dissect.TopImages;
import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;

/**
 * SoftWPMI at NSD scale (default 10,000 images x 20,000 voxels, top_k 100, the paper's defaults) on synthetic P
 * (CLIP-like cosines around 0.2) and Q, for a given number of labels. Times the steps CLIP-Dissect's soft_wpmi does
 * (P' = softmax(a P); each voxel's top images; log p(d|E_v); log p(d) over all voxels; S), voxel shard by voxel shard
 * as the pipeline does; generating Q is not timed.
 *
 * <p>Reference measured in the same run: plain dgemm doing as many multiply-adds as the kernel's (voxels x labels x
 * top_k), the machine's fastest way to do that much arithmetic. The kernel does one multiply-add and one multiply per
 * (voxel, label, top image), gathered from a cache-resident tile rather than streamed as dgemm's blocked panels, plus
 * one log per (voxel, label), so it cannot reach that floor; the ratio says how far it is.
 */
public final class DissectBenchmark {
  private DissectBenchmark() {}

  public static void main(String[] args) {
    run(RidgeBenchmark.intArg(args, 0, 10000), RidgeBenchmark.intArg(args, 1, 20000),
        RidgeBenchmark.intArg(args, 2, 20000), RidgeBenchmark.intArg(args, 3, 1024));
  }

  /** Seconds of the whole SoftWPMI for this many labels. */
  public static double run(int images, int voxels, int labels, int shard) {
    Dissection spec = Dissection.softWpmi();
    int k = spec.topK();
    System.out.printf("dissect benchmark: SoftWPMI, %d images x %d voxels x %d labels, top_k %d, a %s,"
        + " %d voxels per shard, %d threads, native BLAS: %s%n", images, voxels, labels, k, spec.a(), shard,
        Runtime.getRuntime().availableProcessors(), Linalg.isNative());
    Matrix p = similarities(images, labels, 11);
    long t0 = System.nanoTime();
    LabelProbabilities pp = LabelProbabilities.softmax(p, spec.a());
    long t1 = System.nanoTime();
    double[] x = new double[(int) Math.min(Integer.MAX_VALUE - 8, (long) voxels * labels)];
    if ((long) voxels * labels > x.length) {
      throw new IllegalArgumentException(voxels + " x " + labels + " scores do not fit in one array");
    }
    long topNanos = 0;
    long kernelNanos = 0;
    for (int first = 0; first < voxels; first += shard) {
      int m = Math.min(shard, voxels - first);
      Matrix q = activations(images, m, first);
      long a = System.nanoTime();
      int[] top = TopImages.select(q, k);
      long b = System.nanoTime();
      double[] block = SoftWpmi.logConditional(pp, top, m, spec);
      long c = System.nanoTime();
      System.arraycopy(block, 0, x, first * labels, block.length);
      topNanos += b - a;
      kernelNanos += c - b;
    }
    long t2 = System.nanoTime();
    // log p(d) as the pipeline combines it: maxima, then exact sums per shard, merged.
    double[] max = LabelPrior.emptyMax(labels);
    LabelPrior.maxInto(x, voxels, labels, max);
    int shards = (voxels + shard - 1) / shard;
    java.util.List<LabelPrior.ExpSum> parts = IntStream.range(0, shards).parallel().mapToObj(s -> {
      int m = Math.min(shard, voxels - s * shard);
      double[] rows = java.util.Arrays.copyOfRange(x, s * shard * labels, (s * shard + m) * labels);
      return new LabelPrior.ExpSum(labels).add(rows, m, max);
    }).toList();
    LabelPrior.ExpSum sum = new LabelPrior.ExpSum(labels);
    parts.forEach(sum::merge);
    double[] logPrior = sum.logPrior(max);
    IntStream.range(0, voxels).parallel().forEach(v -> {
      int o = v * labels;
      for (int d = 0; d < labels; d++) {
        x[o + d] -= spec.lambda() * logPrior[d];
      }
    });
    long t3 = System.nanoTime();
    double total = ((t1 - t0) + topNanos + kernelNanos + (t3 - t2)) / 1e9;
    double work = (double) voxels * labels * k;
    System.out.printf("P' softmax %.2f s; top-%d images %.2f s; log p(d|E) %.2f s; log p(d) and S %.2f s%n",
        (t1 - t0) / 1e9, k, topNanos / 1e9, kernelNanos / 1e9, (t3 - t2) / 1e9);
    double floor = DgemmFloor.secondsFor(2 * work);
    System.out.printf("SoftWPMI, %d labels: %.2f s in all, %.3f ns per (voxel x label x top image) (log p(d|E)"
        + " alone: %.3f ns); plain dgemm doing the same %.3g multiply-adds: %.2f s; ratio %.1fx; S[0, 0] = %.6f%n",
        labels, total, total * 1e9 / work, kernelNanos / work, work, floor, total / floor, x[0]);
    return total;
  }

  /** CLIP-like image-label cosines: 0.2 +- 0.03, images x labels. */
  static Matrix similarities(int images, int labels, long seed) {
    double[] d = new double[Math.multiplyExact(images, labels)];
    IntStream.range(0, labels).parallel().forEach(j -> {
      SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + j);
      for (int i = 0; i < images; i++) {
        d[j * images + i] = 0.2 + 0.03 * (rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5) * 2;
      }
    });
    return new Matrix(images, labels, d);
  }

  /** Activations of voxels first.. first + m - 1, drawn per voxel so that any shard size gives the same values. */
  static Matrix activations(int images, int m, int first) {
    double[] d = new double[images * m];
    IntStream.range(0, m).parallel().forEach(j -> {
      SplittableRandom rnd = new SplittableRandom(0x5EED + first + j);
      for (int i = 0; i < images; i++) {
        d[j * images + i] = rnd.nextDouble();
      }
    });
    return new Matrix(images, m, d);
  }
}
