package org.clipmsm.beam;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.stats.Bootstrap;
import org.clipmsm.stats.TestMetrics;

/**
 * Bootstrap significance of each voxel's test R^2 (docs/method.md §3): 2,000 resamples of the test rows (the same rows
 * for every voxel, prediction and response kept together), p = fraction of resampled R^2 below 0. Every worker
 * draws the same resamples from the seed, so blocks are independent and results do not depend on sharding. Follow
 * with {@link AdjustFdr} for Benjamini-Hochberg q-values.
 *
 * <pre>{@code
 * PCollection<PredictionBlock> blocks = fits.apply(MapElements.into(TypeDescriptor.of(PredictionBlock.class))
 *     .via(PredictionBlock::of))
 *     .setCoder(PredictionBlock.Coder.of());
 * PCollection<SignificanceBlock> sig = blocks.apply(TestSignificance.create().withBootstraps(2000).withSeed(41));
 * }</pre>
 */
public final class TestSignificance extends PTransform<PCollection<PredictionBlock>, PCollection<SignificanceBlock>> {
  private static final long serialVersionUID = 1L;

  private final int bootstraps;
  private final long seed;
  private final long totalVoxels;
  private final Progress progress;

  private TestSignificance(int bootstraps, long seed, long totalVoxels, Progress progress) {
    this.bootstraps = bootstraps;
    this.seed = seed;
    this.totalVoxels = totalVoxels;
    this.progress = progress;
  }

  /** 2,000 resamples, seed 41. */
  public static TestSignificance create() {
    return new TestSignificance(2000, 41, 0, Progress.quiet());
  }

  public TestSignificance withBootstraps(int n) {
    return new TestSignificance(Bootstrap.checkResamples(n), seed, totalVoxels, progress);
  }

  public TestSignificance withSeed(long s) {
    return new TestSignificance(bootstraps, s, totalVoxels, progress);
  }

  /** The number of voxels, only for progress lines. */
  public TestSignificance withTotalVoxels(long n) {
    return new TestSignificance(bootstraps, seed, n, progress);
  }

  /** Where the stage "significance" reports its progress (default: counters only). */
  public TestSignificance withProgress(Progress p) {
    return new TestSignificance(bootstraps, seed, totalVoxels, p);
  }

  /**
   * The same test of voxel ranges ({first voxel, count}), each block read from {@code source} by the worker that
   * bootstraps it: only the small p-values and R^2 leave the step, so memory does not grow with the number of voxels
   * on any runner.
   *
   * <pre>{@code
   * PCollection<KV<Long, Integer>> ranges = ...;  // e.g. the voxel ranges a fit has written
   * PCollection<SignificanceBlock> sig = ranges.apply(TestSignificance.create()
   *     .fromSource(PredictionSource.npy("pred_test.npy", "y_test.npy")));
   * }</pre>
   */
  public FromSource fromSource(PredictionSource source) {
    return new FromSource(this, source);
  }

  @Override
  public PCollection<SignificanceBlock> expand(PCollection<PredictionBlock> blocks) {
    return blocks.apply("Bootstrap test R2", ParDo.of(new BootstrapBlock(bootstraps, seed,
        progress.stage("significance", totalVoxels)))).setCoder(SignificanceBlock.Coder.of());
  }

  /** {@link TestSignificance#fromSource}. */
  public static final class FromSource
      extends PTransform<PCollection<KV<Long, Integer>>, PCollection<SignificanceBlock>> {
    private static final long serialVersionUID = 1L;
    private final TestSignificance test;
    private final PredictionSource source;

    private FromSource(TestSignificance test, PredictionSource source) {
      this.test = test;
      this.source = source;
    }

    @Override
    public PCollection<SignificanceBlock> expand(PCollection<KV<Long, Integer>> ranges) {
      return ranges.apply("Read and bootstrap test R2", ParDo.of(new BootstrapRange(test.bootstraps, test.seed,
          test.progress.stage("significance", test.totalVoxels), source))).setCoder(SignificanceBlock.Coder.of());
    }
  }

  /** Bootstraps blocks of test predictions; the subclass says where a block comes from. */
  private abstract static class Bootstrapping<I> extends DoFn<I, SignificanceBlock> {
    private static final long serialVersionUID = 1L;
    private final int bootstraps;
    private final long seed;
    private final Progress.Stage progress;
    private transient Bootstrap resamples;

    Bootstrapping(int bootstraps, long seed, Progress.Stage progress) {
      this.bootstraps = bootstraps;
      this.seed = seed;
      this.progress = progress;
    }

    void test(PredictionBlock b, OutputReceiver<SignificanceBlock> out) {
      progress.start(); // at the first element: in a larger pipeline the work may start long after setup
      int n = b.actual().rows();
      if (resamples == null || resamples.testRows() != n) {
        resamples = Bootstrap.resamples(n, bootstraps, seed);
      }
      double[] p = resamples.pValues(b.predicted(), b.actual());
      double[] r2 = new double[p.length];
      for (int j = 0; j < r2.length; j++) {
        r2[j] = TestMetrics.r2(b.actual().data(), j * n, b.predicted().data(), j * n, n);
      }
      out.output(new SignificanceBlock(b.firstVoxel(), r2, p));
      progress.blockDone(p.length);
    }
  }

  private static final class BootstrapBlock extends Bootstrapping<PredictionBlock> {
    private static final long serialVersionUID = 1L;

    BootstrapBlock(int bootstraps, long seed, Progress.Stage progress) {
      super(bootstraps, seed, progress);
    }

    @ProcessElement
    public void process(@Element PredictionBlock b, OutputReceiver<SignificanceBlock> out) {
      test(b, out);
    }
  }

  private static final class BootstrapRange extends Bootstrapping<KV<Long, Integer>> {
    private static final long serialVersionUID = 1L;
    private final PredictionSource source;

    BootstrapRange(int bootstraps, long seed, Progress.Stage progress, PredictionSource source) {
      super(bootstraps, seed, progress);
      this.source = source;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, OutputReceiver<SignificanceBlock> out) {
      test(source.columns(range.getKey(), range.getValue()), out);
    }
  }
}
