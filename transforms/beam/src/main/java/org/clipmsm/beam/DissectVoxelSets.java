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
    PCollectionView<Map<Integer, double[]>> logPrior = rows
        .apply("Exact sums per shard", ParDo.of(new ExpSums(max)).withSideInputs(max))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(LabelPrior.ExpSum.class)))
        .apply("Exact sum", Combine.perKey(new SumFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(LabelPrior.ExpSum.class)))
        .apply("log p(d)", ParDo.of(new LogPriorFn(max)).withSideInputs(max))
        .setCoder(KvCoder.of(VarIntCoder.of(), DoubleArrayCoder.of()))
        .apply("log p(d) as side input", View.asMap());
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

  static final class MaxFn extends Combine.CombineFn<ScoreBlock, double[], double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] createAccumulator() {
      return new double[0];
    }

    @Override
    public double[] addInput(double[] acc, ScoreBlock b) {
      if (acc.length == 0) {
        acc = LabelPrior.emptyMax(b.labels());
      }
      LabelPrior.maxInto(b.scores(), b.rows(), b.labels(), acc);
      return acc;
    }

    @Override
    public double[] mergeAccumulators(Iterable<double[]> accs) {
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

    @Override
    public double[] extractOutput(double[] acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<double[]> getAccumulatorCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<ScoreBlock> in) {
      return DoubleArrayCoder.of();
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
