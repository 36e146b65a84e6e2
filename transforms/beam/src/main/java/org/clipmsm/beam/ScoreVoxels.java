package org.clipmsm.beam;

import org.apache.beam.sdk.coders.SerializableCoder;
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

  /** Scores blocks of activations; the subclass says where a block comes from. */
  private abstract static class Scoring<I> extends DoFn<I, ScoreBlock> {
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

    void score(VoxelBlock block, ProcessContext c) {
      progress.start(); // at the first element: in a larger pipeline the work may start long after setup
      LabelScorer s = scorer.get(c);
      Matrix q = block.values();
      if (q.rows() != s.images()) {
        throw new InvalidInputException(activationsName + ": " + q.rows() + " rows (images), but " + similaritiesName
            + " has " + s.images());
      }
      q.requireFinite(activationsName, "activations", block.firstVoxel());
      double[] scores = s.score(q, block.firstVoxel());
      c.output(ScoreBlock.consecutive(block.firstVoxel(), q.cols(), s.labels(), scores));
      progress.blockDone(q.cols());
    }
  }

  private static final class Score extends Scoring<VoxelBlock> {
    private static final long serialVersionUID = 1L;

    Score(ChunkedSideInput<LabelScorer> scorer, String activationsName, String similaritiesName,
        Progress.Stage progress) {
      super(scorer, activationsName, similaritiesName, progress);
    }

    @ProcessElement
    public void process(@Element VoxelBlock block, ProcessContext c) {
      score(block, c);
    }
  }

  /** Takes a voxel range's activations from the source and scores them. */
  private static final class ScoreRange extends Scoring<KV<Long, Integer>> {
    private static final long serialVersionUID = 1L;
    private final ActivationSource source;

    ScoreRange(ChunkedSideInput<LabelScorer> scorer, String activationsName, String similaritiesName,
        Progress.Stage progress, ActivationSource source) {
      super(scorer, activationsName, similaritiesName, progress);
      this.source = source;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, ProcessContext c) {
      score(new VoxelBlock(range.getKey(), source.columns(range.getKey(), range.getValue())), c);
    }
  }
}
