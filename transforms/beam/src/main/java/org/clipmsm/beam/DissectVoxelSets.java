package org.clipmsm.beam;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.LabelPrior;

/**
 * The per-set half of a dissection (docs/method.md §4.2-4.3) for several {@link VoxelSet}s at once (each ROI and
 * their union): keeps the rows of {@link ScoreVoxels}' blocks that belong to each set (numbered by their position in
 * the set), keyed by the set's index in the list, and, for SoftWPMI and WPMI, turns log p(d|E_v) into
 * S = log p(d|E_v) - lambda log p(d), with each set's log p(d) = logsumexp over its voxels - log V taken by two
 * combines per set over the shards: the per-label maximum, then an exact fixed-point sum of exp(x - max) (see
 * {@link LabelPrior}). Both are order-free, so S is bit-identical for any sharding, runner or parallelism. For cos,
 * cos^3 and rank-reorder the rows pass unchanged. Every set must hold at least one voxel of the input. All sets share
 * one pass and one graph (a graph per set grows the pipeline, and a runner's bookkeeping, with the number of sets).
 *
 * <pre>{@code
 * PCollection<ScoreBlock> raw = q.apply(ScoreVoxels.withSimilarities(p).with(spec));
 * PCollection<KV<Integer, ScoreBlock>> bySet = raw.apply(DissectVoxelSets.of(List.of(ffa, ppa, VoxelSet.all(v)), spec));
 * }</pre>
 */
public final class DissectVoxelSets extends PTransform<PCollection<ScoreBlock>, PCollection<KV<Integer, ScoreBlock>>> {
  private static final long serialVersionUID = 1L;
  private final List<VoxelSet> sets;
  private final Dissection spec;

  private DissectVoxelSets(List<VoxelSet> sets, Dissection spec) {
    this.sets = sets;
    this.spec = spec;
  }

  public static DissectVoxelSets of(List<VoxelSet> sets, Dissection spec) {
    return new DissectVoxelSets(List.copyOf(sets), spec);
  }

  /**
   * The same dissection of the voxel ranges whose raw scores {@link ScoreVoxels.FromSource#writingTo} has written
   * into {@code raw}: each step reads the range's scores back (the label maxima, the exact sums, then the final S),
   * hands each set's final rows to {@code sink} where they are computed, and passes on only their top labels, so no
   * block of scores waits in memory for log p(d) and memory does not grow with the number of voxels. The same bits as
   * the blocks' form.
   *
   * <pre>{@code
   * PCollection<KV<Integer, TopLabelRows>> top = scored.apply(DissectVoxelSets.of(sets, spec)
   *     .fromFile(raw, (set, rows) -> myStore.save(set, rows)));
   * PCollection<KV<Integer, FindProbeImages.Probes>> probes = top.apply(FindProbeImages.withActivations(q, voxels,
   *     images, labels).perSetOfTopLabels(sets.size()));
   * }</pre>
   */
  public FromFile fromFile(RawScoresFile raw, SetSink sink) {
    return new FromFile(sets, spec, raw, sink);
  }

  /** Consumes a set's final rows where they are computed (for example, writes them in place into its outputs). */
  @FunctionalInterface
  public interface SetSink extends java.io.Serializable {
    /** @param set the set's index in the list */
    void write(int set, ScoreBlock rows);
  }

  /** {@link DissectVoxelSets#fromFile}. */
  public static final class FromFile
      extends PTransform<PCollection<KV<Long, Integer>>, PCollection<KV<Integer, TopLabelRows>>> {
    private static final long serialVersionUID = 1L;
    private final List<VoxelSet> sets;
    private final Dissection spec;
    private final RawScoresFile raw;
    private final SetSink sink;

    private FromFile(List<VoxelSet> sets, Dissection spec, RawScoresFile raw, SetSink sink) {
      this.sets = sets;
      this.spec = spec;
      this.raw = raw;
      this.sink = sink;
    }

    @Override
    public PCollection<KV<Integer, TopLabelRows>> expand(PCollection<KV<Long, Integer>> ranges) {
      PCollectionView<Map<Integer, double[]>> logPrior = null;
      if (spec.function().usesLabelPrior()) {
        PCollectionView<Map<Integer, double[]>> max = ranges
            .apply("Label maxima per range", ParDo.of(new RangeMaxima(raw, sets)))
            .setCoder(KvCoder.of(VarIntCoder.of(), DoubleArrayCoder.of()))
            .apply("Label maxima", Combine.perKey(new MergeMax()))
            .setCoder(KvCoder.of(VarIntCoder.of(), DoubleArrayCoder.of()))
            .apply("Maxima as side input", View.asMap());
        logPrior = logPrior(ranges
            .apply("Exact sums per range", ParDo.of(new RangeExpSums(raw, sets, max)).withSideInputs(max)), max);
      }
      ParDo.SingleOutput<KV<Long, Integer>, KV<Integer, TopLabelRows>> finish = ParDo.of(new FinishRange(raw, sets,
          logPrior, spec.lambda(), sink));
      return ranges.apply("S = log p(d|E) - lambda log p(d), written",
              logPrior == null ? finish : finish.withSideInputs(logPrior))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(TopLabelRows.class)));
    }
  }

  /** Reads a range's raw scores once and hands each set's rows of it (where it has some) to {@link #each}. */
  private abstract static class PerSetRows<O> extends DoFn<KV<Long, Integer>, O> {
    private static final long serialVersionUID = 1L;
    private final RawScoresFile raw;
    private final List<VoxelSet> sets;

    PerSetRows(RawScoresFile raw, List<VoxelSet> sets) {
      this.raw = raw;
      this.sets = sets;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, ProcessContext c) {
      ScoreBlock b = raw.read(range.getKey(), range.getValue());
      for (int k = 0; k < sets.size(); k++) {
        ScoreBlock rows = SelectRows.rowsOf(sets.get(k), b);
        if (rows != null) {
          each(k, rows, c);
        }
      }
    }

    abstract void each(int set, ScoreBlock rows, ProcessContext c);
  }

  /** Each set's per-label maxima over its rows in a range. */
  private static final class RangeMaxima extends PerSetRows<KV<Integer, double[]>> {
    private static final long serialVersionUID = 1L;

    RangeMaxima(RawScoresFile raw, List<VoxelSet> sets) {
      super(raw, sets);
    }

    @Override
    void each(int set, ScoreBlock rows, ProcessContext c) {
      double[] max = LabelPrior.emptyMax(rows.labels());
      LabelPrior.maxInto(rows.scores(), rows.rows(), rows.labels(), max);
      c.output(KV.of(set, max));
    }
  }

  /** Each set's exact sums of exp(x - max) over its rows in a range. */
  private static final class RangeExpSums extends PerSetRows<KV<Integer, LabelPrior.ExpSum>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<Integer, double[]>> max;

    RangeExpSums(RawScoresFile raw, List<VoxelSet> sets, PCollectionView<Map<Integer, double[]>> max) {
      super(raw, sets);
      this.max = max;
    }

    @Override
    void each(int set, ScoreBlock rows, ProcessContext c) {
      c.output(KV.of(set, new LabelPrior.ExpSum(rows.labels()).add(rows.scores(), rows.rows(),
          c.sideInput(max).get(set))));
    }
  }

  /** Each set's final rows of a range (S, or the raw scores where no prior applies), to the sink; their top labels. */
  private static final class FinishRange extends PerSetRows<KV<Integer, TopLabelRows>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<Integer, double[]>> logPrior;
    private final double lambda;
    private final SetSink sink;

    FinishRange(RawScoresFile raw, List<VoxelSet> sets, PCollectionView<Map<Integer, double[]>> logPrior,
        double lambda, SetSink sink) {
      super(raw, sets);
      this.logPrior = logPrior;
      this.lambda = lambda;
      this.sink = sink;
    }

    @Override
    void each(int set, ScoreBlock rows, ProcessContext c) {
      ScoreBlock s = logPrior == null ? rows : new ScoreBlock(rows.firstRow(), rows.voxels(), rows.labels(),
          LabelPrior.subtract(rows.scores(), rows.rows(), rows.labels(), c.sideInput(logPrior).get(set), lambda));
      sink.write(set, s);
      c.output(KV.of(set, TopLabelRows.of(s)));
    }
  }

  /** The coder of the output. */
  static KvCoder<Integer, ScoreBlock> coder() {
    return KvCoder.of(VarIntCoder.of(), ScoreBlock.Coder.of());
  }

  @Override
  public PCollection<KV<Integer, ScoreBlock>> expand(PCollection<ScoreBlock> raw) {
    PCollection<KV<Integer, ScoreBlock>> rows = raw.apply("Rows of each set", ParDo.of(new SelectRows(sets)))
        .setCoder(coder());
    if (!spec.function().usesLabelPrior()) {
      return rows;
    }
    PCollectionView<Map<Integer, double[]>> max = rows
        .apply("Label maxima", Combine.perKey(new MaxFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DoubleArrayCoder.of()))
        .apply("Maxima as side input", View.asMap());
    PCollectionView<Map<Integer, double[]>> logPrior = logPrior(rows
        .apply("Exact sums per shard", ParDo.of(new ExpSums(max)).withSideInputs(max)), max);
    return rows.apply("S = log p(d|E) - lambda log p(d)", ParDo.of(new Subtract(logPrior, spec.lambda()))
        .withSideInputs(logPrior)).setCoder(coder());
  }

  /**
   * Each set's rows of a block of consecutive voxels, numbered within the set and keyed by the set's index; a set with
   * none in the block gets nothing.
   */
  static final class SelectRows extends DoFn<ScoreBlock, KV<Integer, ScoreBlock>> {
    private static final long serialVersionUID = 1L;
    private final List<VoxelSet> sets;

    SelectRows(List<VoxelSet> sets) {
      this.sets = sets;
    }

    @ProcessElement
    public void process(@Element ScoreBlock b, OutputReceiver<KV<Integer, ScoreBlock>> out) {
      for (int k = 0; k < sets.size(); k++) {
        ScoreBlock rows = rowsOf(sets.get(k), b);
        if (rows != null) {
          out.output(KV.of(k, rows));
        }
      }
    }

    /** The set's rows of the block, or null if it has none there. */
    static ScoreBlock rowsOf(VoxelSet set, ScoreBlock b) {
      long first = b.voxels()[0];
      int[] range = set.rowsWithin(first, b.rows());
      int count = range[1] - range[0];
      if (count == 0) {
        return null;
      }
      if (count == b.rows() && range[0] == first) {
        return b;
      }
      int labels = b.labels();
      long[] voxels = new long[count];
      double[] scores = new double[count * labels];
      for (int r = 0; r < count; r++) {
        voxels[r] = set.voxels()[range[0] + r];
        System.arraycopy(b.scores(), (int) (voxels[r] - first) * labels, scores, r * labels, labels);
      }
      return new ScoreBlock(range[0], voxels, labels, scores);
    }
  }

  /** Per-label maxima of a set, whatever the input: the accumulator, merging and coder are shared. */
  abstract static class MaxCombine<I> extends Combine.CombineFn<I, double[], double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] createAccumulator() {
      return new double[0];
    }

    @Override
    public double[] mergeAccumulators(Iterable<double[]> accs) {
      return mergeMax(accs);
    }

    @Override
    public double[] extractOutput(double[] acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<double[]> getAccumulatorCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<I> in) {
      return DoubleArrayCoder.of();
    }
  }

  /** The maxima of the rows of score blocks. */
  static final class MaxFn extends MaxCombine<ScoreBlock> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] addInput(double[] acc, ScoreBlock b) {
      if (acc.length == 0) {
        acc = LabelPrior.emptyMax(b.labels());
      }
      LabelPrior.maxInto(b.scores(), b.rows(), b.labels(), acc);
      return acc;
    }
  }

  /** Each set's log p(d) as a side input, from the partial exact sums of its rows and its per-label maxima. */
  private static PCollectionView<Map<Integer, double[]>> logPrior(PCollection<KV<Integer, LabelPrior.ExpSum>> partial,
      PCollectionView<Map<Integer, double[]>> max) {
    return partial
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(LabelPrior.ExpSum.class)))
        .apply("Exact sum", Combine.perKey(new SumFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(LabelPrior.ExpSum.class)))
        .apply("log p(d)", ParDo.of(new LogPriorFn(max)).withSideInputs(max))
        .setCoder(KvCoder.of(VarIntCoder.of(), DoubleArrayCoder.of()))
        .apply("log p(d) as side input", View.asMap());
  }

  /** Per-label maxima merged; empty arrays (no rows) are skipped. */
  static double[] mergeMax(Iterable<double[]> accs) {
    double[] out = new double[0];
    for (double[] a : accs) {
      if (a.length == 0) {
        continue;
      }
      if (out.length == 0) {
        out = a.clone();
      } else {
        for (int d = 0; d < a.length; d++) {
          out[d] = Math.max(out[d], a[d]);
        }
      }
    }
    return out;
  }

  /** Merges per-range maxima of a set ({@link #mergeMax}). */
  static final class MergeMax extends MaxCombine<double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] addInput(double[] acc, double[] in) {
      return mergeMax(List.of(acc, in));
    }
  }

  private static final class ExpSums extends DoFn<KV<Integer, ScoreBlock>, KV<Integer, LabelPrior.ExpSum>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<Integer, double[]>> max;

    ExpSums(PCollectionView<Map<Integer, double[]>> max) {
      this.max = max;
    }

    @ProcessElement
    public void process(@Element KV<Integer, ScoreBlock> e, ProcessContext c) {
      ScoreBlock b = e.getValue();
      c.output(KV.of(e.getKey(), new LabelPrior.ExpSum(b.labels()).add(b.scores(), b.rows(),
          c.sideInput(max).get(e.getKey()))));
    }
  }

  /** Merges exact sums; integer additions, so the order of merging does not matter. */
  static final class SumFn extends Combine.CombineFn<LabelPrior.ExpSum, SumFn.Acc, LabelPrior.ExpSum> {
    private static final long serialVersionUID = 1L;

    static final class Acc implements java.io.Serializable {
      private static final long serialVersionUID = 1L;
      LabelPrior.ExpSum sum;
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc acc, LabelPrior.ExpSum in) {
      if (acc.sum == null) {
        acc.sum = new LabelPrior.ExpSum(in.labels());
      }
      acc.sum.merge(in);
      return acc;
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accs) {
      Acc out = new Acc();
      for (Acc a : accs) {
        if (a.sum != null) {
          addInput(out, a.sum);
        }
      }
      return out;
    }

    @Override
    public LabelPrior.ExpSum extractOutput(Acc acc) {
      return acc.sum == null ? new LabelPrior.ExpSum(0) : acc.sum;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Acc> getAccumulatorCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<LabelPrior.ExpSum> in) {
      return SerializableCoder.of(Acc.class);
    }
  }

  private static final class LogPriorFn extends DoFn<KV<Integer, LabelPrior.ExpSum>, KV<Integer, double[]>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<Integer, double[]>> max;

    LogPriorFn(PCollectionView<Map<Integer, double[]>> max) {
      this.max = max;
    }

    @ProcessElement
    public void process(@Element KV<Integer, LabelPrior.ExpSum> e, ProcessContext c) {
      LabelPrior.ExpSum sum = e.getValue();
      c.output(KV.of(e.getKey(), sum.labels() == 0 ? new double[0]
          : sum.logPrior(c.sideInput(max).get(e.getKey()))));
    }
  }

  private static final class Subtract extends DoFn<KV<Integer, ScoreBlock>, KV<Integer, ScoreBlock>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<Integer, double[]>> logPrior;
    private final double lambda;

    Subtract(PCollectionView<Map<Integer, double[]>> logPrior, double lambda) {
      this.logPrior = logPrior;
      this.lambda = lambda;
    }

    @ProcessElement
    public void process(@Element KV<Integer, ScoreBlock> e, ProcessContext c) {
      ScoreBlock b = e.getValue();
      double[] s = LabelPrior.subtract(b.scores(), b.rows(), b.labels(), c.sideInput(logPrior).get(e.getKey()),
          lambda);
      c.output(KV.of(e.getKey(), new ScoreBlock(b.firstRow(), b.voxels(), b.labels(), s)));
    }
  }
}
