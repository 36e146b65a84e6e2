package org.clipmsm.beam;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.InvalidInputException;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.LabelScorer;
import org.clipmsm.linalg.Matrix;

/**
 * The per-voxel half of a dissection (docs/method.md §4): every block of activations Q (images x voxels) against the
 * image-label similarities P (images x labels, prepared once and shared as a chunked side input, decoded once per
 * worker JVM) gives each voxel's scores
 * over all labels: log p(d | E_v) for SoftWPMI and WPMI, whose log p(d) over a voxel set {@link DissectVoxelSet}
 * then subtracts, and the final S for cos, cos^3 and rank-reorder. Blocks are scored independently, on all cores.
 * Non-finite activations or similarities are bad input (one line naming the source).
 *
 * <pre>{@code
 * PCollection<Matrix> p = pipeline.apply(ReadNpyMatrix.from("P.npy"));
 * PCollection<ScoreBlock> raw = q.apply(ScoreVoxels.withSimilarities(p).with(Dissection.softWpmi()));
 * }</pre>
 */
public final class ScoreVoxels extends PTransform<PCollection<VoxelBlock>, PCollection<ScoreBlock>> {
  private static final long serialVersionUID = 1L;
  private final transient PCollection<Matrix> similarities;
  private final Dissection spec;
  private final String similaritiesName;
  private final String activationsName;
  private final long totalVoxels;
  private final Progress progress;

  private ScoreVoxels(PCollection<Matrix> similarities, Dissection spec, String similaritiesName,
      String activationsName, long totalVoxels, Progress progress) {
    this.similarities = similarities;
    this.spec = spec;
    this.similaritiesName = similaritiesName;
    this.activationsName = activationsName;
    this.totalVoxels = totalVoxels;
    this.progress = progress;
  }

  /** @param similarities one element: images x labels (rows as in the activations) */
  public static ScoreVoxels withSimilarities(PCollection<Matrix> similarities) {
    return new ScoreVoxels(similarities, Dissection.softWpmi(), "similarities", "activations", 0, Progress.quiet());
  }

  public ScoreVoxels with(Dissection d) {
    return new ScoreVoxels(similarities, d, similaritiesName, activationsName, totalVoxels, progress);
  }

  /** How errors name the similarities and the activations (e.g. their files). */
  public ScoreVoxels withSourceNames(String similaritiesName, String activationsName) {
    return new ScoreVoxels(similarities, spec, similaritiesName, activationsName, totalVoxels, progress);
  }

  /** The number of voxels, only for progress lines. */
  public ScoreVoxels withTotalVoxels(long n) {
    return new ScoreVoxels(similarities, spec, similaritiesName, activationsName, n, progress);
  }

  /** Where the stage "dissect" reports its progress (default: counters only). */
  public ScoreVoxels withProgress(Progress p) {
    return new ScoreVoxels(similarities, spec, similaritiesName, activationsName, totalVoxels, p);
  }

  /**
   * The same scores, every block of activations taken from {@code source} (read, or computed as I W) by the worker
   * that scores it, over voxel ranges from the source's header: no activation block crosses a PCollection, so memory
   * does not grow with the number of voxels (DirectRunner holds a step's outputs until its input bundle is done).
   *
   * <pre>{@code
   * PCollection<ScoreBlock> raw = pipeline.apply(ScoreVoxels.withSimilarities(p)
   *     .fromSource(ActivationSource.product("I.npy", "fit/weights.npy"), 1024));
   * }</pre>
   */
  public FromSource fromSource(ActivationSource source, int voxelsPerBlock) {
    return new FromSource(this, source, ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock), null);
  }

  @Override
  public PCollection<ScoreBlock> expand(PCollection<VoxelBlock> activations) {
    ChunkedSideInput<LabelScorer> scorer = scorer();
    return activations
        .apply("Score voxel blocks", ParDo.of(new Score(scorer, activationsName, similaritiesName,
            progress.stage("dissect", totalVoxels))).withSideInputs(scorer.view()))
        .setCoder(ScoreBlock.Coder.of());
  }

  private ChunkedSideInput<LabelScorer> scorer() {
    return ChunkedSideInput.of(similarities
        .apply("Prepare similarities", ParDo.of(new Prepare(spec, similaritiesName)))
        .setCoder(SerializableCoder.of(LabelScorer.class)));
  }

  /** {@link ScoreVoxels#fromSource}. */
  public static final class FromSource extends PTransform<PBegin, PCollection<ScoreBlock>> {
    private static final long serialVersionUID = 1L;
    private final transient ScoreVoxels score;
    private final ActivationSource source;
    private final int voxelsPerBlock;
    private final transient PCollectionView<?> written;

    private FromSource(ScoreVoxels score, ActivationSource source, int voxelsPerBlock, PCollectionView<?> written) {
      this.score = score;
      this.source = source;
      this.voxelsPerBlock = voxelsPerBlock;
      this.written = written;
    }

    /** Reads only once this view is ready ({@link Signals#done} of the writes of the steps that make the files). */
    public FromSource waitFor(PCollectionView<?> inputsWritten) {
      return new FromSource(score, source, voxelsPerBlock, inputsWritten);
    }

    /**
     * Writes every block's scores into {@code raw} where they are computed and passes on only the voxel range, once
     * written: no block of scores waits in memory (DirectRunner holds a step's outputs until its whole input bundle
     * is done). Follow with {@link DissectVoxelSets#fromFile}.
     *
     * <pre>{@code
     * RawScoresFile raw = RawScoresFile.create("raw.npy", labels, voxels);
     * PCollection<KV<Long, Integer>> scored = pipeline.apply(ScoreVoxels.withSimilarities(p)
     *     .fromSource(ActivationSource.product("I.npy", "weights.npy"), 1024).writingTo(raw));
     * }</pre>
     */
    public WritingTo writingTo(RawScoresFile raw) {
      return new WritingTo(this, raw);
    }

    @Override
    public PCollection<ScoreBlock> expand(PBegin begin) {
      ChunkedSideInput<LabelScorer> scorer = score.scorer();
      return ReadVoxelBlocks.rangesOf(begin, source.voxelColumnsFile(), voxelsPerBlock, written)
          .apply("Read and score voxel blocks", ParDo.of(new ScoreRange(scorer, score.activationsName,
              score.similaritiesName, score.progress.stage("dissect", score.totalVoxels), source))
              .withSideInputs(scorer.view()))
          .setCoder(ScoreBlock.Coder.of());
    }
  }

  private static final class Prepare extends DoFn<Matrix, LabelScorer> {
    private static final long serialVersionUID = 1L;
    private final Dissection spec;
    private final String name;

    Prepare(Dissection spec, String name) {
      this.spec = spec;
      this.name = name;
    }

    @ProcessElement
    public void process(@Element Matrix p, OutputReceiver<LabelScorer> out) {
      p.requireFinite(name, "similarities", 0);
      spec.checkImages(p.rows(), name);
      out.output(LabelScorer.prepare(p, spec));
    }
  }

  /** {@link FromSource#writingTo}: the voxel ranges scored, each emitted once its scores are written. */
  public static final class WritingTo extends PTransform<PBegin, PCollection<KV<Long, Integer>>> {
    private static final long serialVersionUID = 1L;
    private final transient FromSource from;
    private final RawScoresFile raw;

    private WritingTo(FromSource from, RawScoresFile raw) {
      this.from = from;
      this.raw = raw;
    }

    @Override
    public PCollection<KV<Long, Integer>> expand(PBegin begin) {
      ChunkedSideInput<LabelScorer> scorer = from.score.scorer();
      return ReadVoxelBlocks.rangesOf(begin, from.source.voxelColumnsFile(), from.voxelsPerBlock, from.written)
          .apply("Read, score and write voxel blocks", ParDo.of(new ScoreRangeInto(scorer, from.score.activationsName,
              from.score.similaritiesName, from.score.progress.stage("dissect", from.score.totalVoxels), from.source,
              raw)).withSideInputs(scorer.view()))
          .setCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of()));
    }
  }

  /** Scores blocks of activations; the subclass says where a block comes from and what leaves the step. */
  private abstract static class Scoring<I, O> extends DoFn<I, O> {
    private static final long serialVersionUID = 1L;
    private final ChunkedSideInput<LabelScorer> scorer;
    private final String activationsName;
    private final String similaritiesName;
    private final Progress.Stage progress;

    Scoring(ChunkedSideInput<LabelScorer> scorer, String activationsName, String similaritiesName,
        Progress.Stage progress) {
      this.scorer = scorer;
      this.activationsName = activationsName;
      this.similaritiesName = similaritiesName;
      this.progress = progress;
    }

    @StartBundle
    public void startBundle(StartBundleContext c) {
      FaultInjection.atBundleStart("score", c.getPipelineOptions());
    }

    ScoreBlock score(VoxelBlock block, ProcessContext c) {
      progress.start(); // at the first element: in a larger pipeline the work may start long after setup
      LabelScorer s = scorer.get(c);
      Matrix q = block.values();
      if (q.rows() != s.images()) {
        throw new InvalidInputException(activationsName + ": " + q.rows() + " rows (images), but " + similaritiesName
            + " has " + s.images());
      }
      q.requireFinite(activationsName, "activations", block.firstVoxel());
      double[] scores = s.score(q, block.firstVoxel());
      progress.blockDone(q.cols());
      return ScoreBlock.consecutive(block.firstVoxel(), q.cols(), s.labels(), scores);
    }
  }

  private static final class Score extends Scoring<VoxelBlock, ScoreBlock> {
    private static final long serialVersionUID = 1L;

    Score(ChunkedSideInput<LabelScorer> scorer, String activationsName, String similaritiesName,
        Progress.Stage progress) {
      super(scorer, activationsName, similaritiesName, progress);
    }

    @ProcessElement
    public void process(@Element VoxelBlock block, ProcessContext c) {
      c.output(score(block, c));
    }
  }

  /** Takes a voxel range's activations from the source and scores them. */
  private static final class ScoreRange extends Scoring<KV<Long, Integer>, ScoreBlock> {
    private static final long serialVersionUID = 1L;
    private final ActivationSource source;

    ScoreRange(ChunkedSideInput<LabelScorer> scorer, String activationsName, String similaritiesName,
        Progress.Stage progress, ActivationSource source) {
      super(scorer, activationsName, similaritiesName, progress);
      this.source = source;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, ProcessContext c) {
      c.output(score(new VoxelBlock(range.getKey(), source.columns(range.getKey(), range.getValue())), c));
    }
  }

  /** Scores a range from the source, writes the scores into the raw-scores file, and passes the range on. */
  private static final class ScoreRangeInto extends Scoring<KV<Long, Integer>, KV<Long, Integer>> {
    private static final long serialVersionUID = 1L;
    private final ActivationSource source;
    private final RawScoresFile raw;

    ScoreRangeInto(ChunkedSideInput<LabelScorer> scorer, String activationsName, String similaritiesName,
        Progress.Stage progress, ActivationSource source, RawScoresFile raw) {
      super(scorer, activationsName, similaritiesName, progress);
      this.source = source;
      this.raw = raw;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, ProcessContext c) {
      raw.write(score(new VoxelBlock(range.getKey(), source.columns(range.getKey(), range.getValue())), c));
      c.output(range);
    }
  }
}
