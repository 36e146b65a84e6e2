package org.clipmsm.beam;

import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.LabelPrior;

/**
 * The per-set half of a dissection (docs/method.md §4.2-4.3): keeps the rows of {@link ScoreVoxels}' blocks that
 * belong to one {@link VoxelSet} (numbered by their position in the set) and, for SoftWPMI and WPMI, turns log p(d|E_v)
 * into S = log p(d|E_v) - lambda log p(d), with log p(d) = logsumexp over the set's voxels - log V taken by two
 * global combines over the shards: the per-label maximum, then an exact fixed-point sum of exp(x - max) (see
 * {@link LabelPrior}). Both are order-free, so S is bit-identical for any sharding, runner or parallelism. For cos,
 * cos^3 and rank-reorder the rows pass unchanged. The set must hold at least one voxel of the input.
 *
 * <pre>{@code
 * PCollection<ScoreBlock> raw = q.apply(ScoreVoxels.withSimilarities(p).with(spec));
 * PCollection<ScoreBlock> faces = raw.apply("FFA", DissectVoxelSet.of(new VoxelSet("faces", ffaVoxels), spec));
 * PCollection<ScoreBlock> union = raw.apply("Union", DissectVoxelSet.of(VoxelSet.all(voxels), spec));
 * }</pre>
 */
public final class DissectVoxelSet extends PTransform<PCollection<ScoreBlock>, PCollection<ScoreBlock>> {
  private static final long serialVersionUID = 1L;
  private final VoxelSet set;
  private final Dissection spec;

  private DissectVoxelSet(VoxelSet set, Dissection spec) {
    this.set = set;
    this.spec = spec;
  }

  public static DissectVoxelSet of(VoxelSet set, Dissection spec) {
    return new DissectVoxelSet(set, spec);
  }

  @Override
  public PCollection<ScoreBlock> expand(PCollection<ScoreBlock> raw) {
    PCollection<ScoreBlock> rows = raw.apply("Rows of " + set.name(), ParDo.of(new SelectRows(set)))
        .setCoder(ScoreBlock.Coder.of());
    if (!spec.function().usesLabelPrior()) {
      return rows;
    }
    PCollectionView<double[]> max = rows
        .apply("Label maxima", Combine.globally(new MaxFn()))
        .setCoder(DoubleArrayCoder.of())
        .apply("Maxima as side input", View.asSingleton());
    PCollectionView<double[]> logPrior = rows
        .apply("Exact sums per shard", ParDo.of(new ExpSums(max)).withSideInputs(max))
        .setCoder(SerializableCoder.of(LabelPrior.ExpSum.class))
        .apply("Exact sum", Combine.globally(new SumFn()))
        .setCoder(SerializableCoder.of(LabelPrior.ExpSum.class))
        .apply("log p(d)", ParDo.of(new LogPriorFn(max)).withSideInputs(max))
        .setCoder(DoubleArrayCoder.of())
        .apply("log p(d) as side input", View.asSingleton());
    return rows.apply("S = log p(d|E) - lambda log p(d)", ParDo.of(new Subtract(logPrior, spec.lambda()))
        .withSideInputs(logPrior)).setCoder(ScoreBlock.Coder.of());
  }

  /** The set's rows of a block of consecutive voxels, numbered within the set; blocks with none are dropped. */
  static final class SelectRows extends DoFn<ScoreBlock, ScoreBlock> {
    private static final long serialVersionUID = 1L;
    private final VoxelSet set;

    SelectRows(VoxelSet set) {
      this.set = set;
    }

    @ProcessElement
    public void process(@Element ScoreBlock b, OutputReceiver<ScoreBlock> out) {
      long first = b.voxels()[0];
      int[] range = set.rowsWithin(first, b.rows());
      int count = range[1] - range[0];
      if (count == 0) {
        return;
      }
      if (count == b.rows() && range[0] == first) {
        out.output(b);
        return;
      }
      int labels = b.labels();
      long[] voxels = new long[count];
      double[] scores = new double[count * labels];
      for (int r = 0; r < count; r++) {
        voxels[r] = set.voxels()[range[0] + r];
        System.arraycopy(b.scores(), (int) (voxels[r] - first) * labels, scores, r * labels, labels);
      }
      out.output(new ScoreBlock(range[0], voxels, labels, scores));
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

  private static final class ExpSums extends DoFn<ScoreBlock, LabelPrior.ExpSum> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<double[]> max;

    ExpSums(PCollectionView<double[]> max) {
      this.max = max;
    }

    @ProcessElement
    public void process(@Element ScoreBlock b, ProcessContext c) {
      c.output(new LabelPrior.ExpSum(b.labels()).add(b.scores(), b.rows(), c.sideInput(max)));
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

  private static final class LogPriorFn extends DoFn<LabelPrior.ExpSum, double[]> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<double[]> max;

    LogPriorFn(PCollectionView<double[]> max) {
      this.max = max;
    }

    @ProcessElement
    public void process(@Element LabelPrior.ExpSum sum, ProcessContext c) {
      c.output(sum.labels() == 0 ? new double[0] : sum.logPrior(c.sideInput(max)));
    }
  }

  private static final class Subtract extends DoFn<ScoreBlock, ScoreBlock> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<double[]> logPrior;
    private final double lambda;

    Subtract(PCollectionView<double[]> logPrior, double lambda) {
      this.logPrior = logPrior;
      this.lambda = lambda;
    }

    @ProcessElement
    public void process(@Element ScoreBlock b, ProcessContext c) {
      double[] s = LabelPrior.subtract(b.scores(), b.rows(), b.labels(), c.sideInput(logPrior), lambda);
      c.output(new ScoreBlock(b.firstRow(), b.voxels(), b.labels(), s));
    }
  }
}
