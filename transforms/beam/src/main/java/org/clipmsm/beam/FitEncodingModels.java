package org.clipmsm.beam;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.KV;
import org.clipmsm.InvalidInputException;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.ridge.AlphaGrid;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.RidgeDecomposition;
import org.clipmsm.ridge.RidgeSolver;
import org.clipmsm.ridge.SplitSpec;

/**
 * Fits voxel-wise ridge encoding models (docs/method.md §2): for every block of voxel responses, per-voxel alpha by
 * validation error, refit on all training rows, test predictions, test R^2 and Pearson r. The features are decomposed
 * once (one {@link RidgeDecomposition} per split) and reach every voxel block as a side input; voxel blocks are
 * fitted in parallel and independently, so results do not depend on the runner or its parallelism.
 *
 * <pre>{@code
 * PCollection<Matrix> features = ...;          // one element: images x features
 * PCollection<VoxelBlock> responses = ...;     // blocks of voxel columns, images x voxels each
 * PCollection<RidgeBlockResult> fits = responses.apply(
 *     FitEncodingModels.withFeatures(features)
 *         .withSplit(SplitSpec.defaults().withSeed(42))
 *         .withAlphas("code"));
 * PCollection<EncodingModel> models = fits.apply(ToEncodingModels.create());
 * }</pre>
 */
public final class FitEncodingModels extends PTransform<PCollection<VoxelBlock>, PCollection<RidgeBlockResult>> {
  private static final long serialVersionUID = 1L;

  private final transient PCollection<Matrix> features;
  private final SplitSpec split;
  private final String alphas;
  private final long totalVoxels;
  private final Progress progress;

  private FitEncodingModels(PCollection<Matrix> features, SplitSpec split, String alphas, long totalVoxels,
      Progress progress) {
    this.features = features;
    this.split = split;
    this.alphas = alphas;
    this.totalVoxels = totalVoxels;
    this.progress = progress;
  }

  /** Fits against these features (a single images x features matrix), with the paper's split and the code's grid. */
  public static FitEncodingModels withFeatures(PCollection<Matrix> features) {
    return new FitEncodingModels(features, SplitSpec.defaults(), "code", 0, Progress.quiet());
  }

  public FitEncodingModels withSplit(SplitSpec s) {
    return new FitEncodingModels(features, s, alphas, totalVoxels, progress);
  }

  /** {@code paper}, {@code code} or a comma-separated list (see {@link AlphaGrid#parse}). */
  public FitEncodingModels withAlphas(String spec) {
    AlphaGrid.parse(spec, 1);
    return new FitEncodingModels(features, split, spec, totalVoxels, progress);
  }

  /** The number of voxels, only for progress lines ("done/total"). */
  public FitEncodingModels withTotalVoxels(long n) {
    return new FitEncodingModels(features, split, alphas, n, progress);
  }

  /** Where the stage "fit" reports its progress (default: counters only). */
  public FitEncodingModels withProgress(Progress p) {
    return new FitEncodingModels(features, split, alphas, totalVoxels, p);
  }

  /**
   * The same fits of the voxel blocks of a responses .npy (images x voxels), each block read by the worker that fits
   * it: no block of responses crosses a PCollection, so a runner without backpressure (DirectRunner) never holds more
   * than the blocks being fitted, whatever the number of voxels.
   *
   * <pre>{@code
   * PCollection<RidgeBlockResult> fits = pipeline.apply(FitEncodingModels.withFeatures(features)
   *     .fromFile("responses.npy", 1024));
   * }</pre>
   */
  public FromFile fromFile(String responses, int voxelsPerBlock) {
    return new FromFile(this, responses, ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock), null);
  }

  @Override
  public PCollection<RidgeBlockResult> expand(PCollection<VoxelBlock> responses) {
    ChunkedSideInput<RidgeDecomposition> decomposition = decomposition();
    return responses
        .apply("Fit voxel blocks", ParDo.of(new SolveBlock(decomposition, progress.stage("fit", totalVoxels)))
            .withSideInputs(decomposition.view()))
        .setCoder(RidgeBlockResultCoder.of());
  }

  private ChunkedSideInput<RidgeDecomposition> decomposition() {
    return ChunkedSideInput.of(features
        .apply("Decompose features", ParDo.of(new Decompose(split, alphas, progress)))
        .setCoder(SerializableCoder.of(RidgeDecomposition.class)));
  }

  /** {@link FitEncodingModels#fromFile}. */
  public static final class FromFile extends PTransform<PBegin, PCollection<RidgeBlockResult>> {
    private static final long serialVersionUID = 1L;
    private final transient FitEncodingModels fit;
    private final String responses;
    private final int voxelsPerBlock;
    private final transient PCollectionView<?> written;

    private FromFile(FitEncodingModels fit, String responses, int voxelsPerBlock, PCollectionView<?> written) {
      this.fit = fit;
      this.responses = responses;
      this.voxelsPerBlock = voxelsPerBlock;
      this.written = written;
    }

    /** Reads the file only once this view is ready ({@link Signals#done} of the writes of the steps that make it). */
    public FromFile waitFor(PCollectionView<?> inputsWritten) {
      return new FromFile(fit, responses, voxelsPerBlock, inputsWritten);
    }

    /**
     * Hands every fitted block to {@code sink} in the worker that fitted it, and passes on only its voxel range
     * ({first voxel, count}), once the sink has returned: nothing block-sized leaves the step, so memory stays flat
     * in the number of voxels on every runner (DirectRunner holds a step's outputs until its whole input bundle is
     * done). Follow with steps that read what the sink wrote, by range.
     *
     * <pre>{@code
     * PCollection<KV<Long, Integer>> written = pipeline.apply(FitEncodingModels.withFeatures(features)
     *     .fromFile("responses.npy", 1024).writingTo(block -> myStore.save(block)));
     * }</pre>
     */
    public WritingTo writingTo(BlockSink sink) {
      return new WritingTo(this, sink);
    }

    @Override
    public PCollection<RidgeBlockResult> expand(PBegin begin) {
      ChunkedSideInput<RidgeDecomposition> decomposition = fit.decomposition();
      return ReadVoxelBlocks.rangesOf(begin, responses, voxelsPerBlock, written)
          .apply("Read and fit voxel blocks", ParDo.of(new SolveRange(responses, decomposition,
              fit.progress.stage("fit", fit.totalVoxels))).withSideInputs(decomposition.view()))
          .setCoder(RidgeBlockResultCoder.of());
    }
  }

  /** Consumes a fitted block where it was fitted (for example, writes its columns in place into shared files). */
  @FunctionalInterface
  public interface BlockSink extends java.io.Serializable {
    void write(RidgeBlockResult block);
  }

  /** {@link FromFile#writingTo}: the voxel ranges fitted, each emitted once its block is written. */
  public static final class WritingTo extends PTransform<PBegin, PCollection<KV<Long, Integer>>> {
    private static final long serialVersionUID = 1L;
    private final transient FromFile from;
    private final BlockSink sink;

    private WritingTo(FromFile from, BlockSink sink) {
      this.from = from;
      this.sink = sink;
    }

    @Override
    public PCollection<KV<Long, Integer>> expand(PBegin begin) {
      ChunkedSideInput<RidgeDecomposition> decomposition = from.fit.decomposition();
      return ReadVoxelBlocks.rangesOf(begin, from.responses, from.voxelsPerBlock, from.written)
          .apply("Read, fit and write voxel blocks", ParDo.of(new SolveRangeInto(from.responses, decomposition,
              from.fit.progress.stage("fit", from.fit.totalVoxels), sink)).withSideInputs(decomposition.view()))
          .setCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of()));
    }
  }

  private static final class Decompose extends DoFn<Matrix, RidgeDecomposition> {
    private static final long serialVersionUID = 1L;
    private final SplitSpec split;
    private final String alphas;
    private final Progress progress;

    Decompose(SplitSpec split, String alphas, Progress progress) {
      this.split = split;
      this.alphas = alphas;
      this.progress = progress;
    }

    @ProcessElement
    public void process(@Element Matrix x, OutputReceiver<RidgeDecomposition> out) {
      long t0 = System.nanoTime();
      RidgeDecomposition d = RidgeDecomposition.compute(x, split.toSplit(x.rows()), AlphaGrid.parse(alphas, x.cols()));
      progress.note("fit", String.format("features %d x %d decomposed in %.1f s", x.rows(), x.cols(),
          (System.nanoTime() - t0) / 1e9));
      out.output(d);
    }
  }

  /**
   * Fits blocks of voxel responses against the decomposition side input; the subclass says where a block comes from
   * and what leaves the step.
   */
  private abstract static class Solve<I, O> extends DoFn<I, O> {
    private static final long serialVersionUID = 1L;
    private final ChunkedSideInput<RidgeDecomposition> decomposition;
    private final Progress.Stage progress;

    Solve(ChunkedSideInput<RidgeDecomposition> decomposition, Progress.Stage progress) {
      this.decomposition = decomposition;
      this.progress = progress;
    }

    @StartBundle
    public void startBundle(StartBundleContext c) {
      FaultInjection.atBundleStart("fit", c.getPipelineOptions());
    }

    RidgeBlockResult solve(VoxelBlock block, ProcessContext c) {
      progress.start(); // at the first element: in a larger pipeline the work may start long after setup
      RidgeDecomposition d = decomposition.get(c);
      if (block.values().rows() != d.split().rows()) {
        throw new InvalidInputException("responses: " + block.values().rows() + " rows (images), but the features"
            + " have " + d.split().rows());
      }
      return RidgeSolver.solve(d, block.firstVoxel(), block.values());
    }

    void done(VoxelBlock block) {
      progress.blockDone(block.voxels());
    }
  }

  private static final class SolveBlock extends Solve<VoxelBlock, RidgeBlockResult> {
    private static final long serialVersionUID = 1L;

    SolveBlock(ChunkedSideInput<RidgeDecomposition> decomposition, Progress.Stage progress) {
      super(decomposition, progress);
    }

    @ProcessElement
    public void process(@Element VoxelBlock block, ProcessContext c) {
      c.output(solve(block, c));
      done(block);
    }
  }

  /** Reads a voxel range's responses and fits them. */
  private static final class SolveRange extends Solve<KV<Long, Integer>, RidgeBlockResult> {
    private static final long serialVersionUID = 1L;
    private final String responses;

    SolveRange(String responses, ChunkedSideInput<RidgeDecomposition> decomposition, Progress.Stage progress) {
      super(decomposition, progress);
      this.responses = responses;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, ProcessContext c) {
      VoxelBlock block = ReadVoxelBlocks.read(responses, range);
      c.output(solve(block, c));
      done(block);
    }
  }

  /** Reads a voxel range's responses, fits them, hands the fit to the sink, and passes the range on. */
  private static final class SolveRangeInto extends Solve<KV<Long, Integer>, KV<Long, Integer>> {
    private static final long serialVersionUID = 1L;
    private final String responses;
    private final BlockSink sink;

    SolveRangeInto(String responses, ChunkedSideInput<RidgeDecomposition> decomposition, Progress.Stage progress,
        BlockSink sink) {
      super(decomposition, progress);
      this.responses = responses;
      this.sink = sink;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, ProcessContext c) {
      VoxelBlock block = ReadVoxelBlocks.read(responses, range);
      sink.write(solve(block, c));
      c.output(range);
      done(block);
    }
  }
}
