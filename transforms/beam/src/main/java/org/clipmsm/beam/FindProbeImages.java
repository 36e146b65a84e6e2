package org.clipmsm.beam;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.dissect.SemanticMaps;
import org.clipmsm.linalg.ExactSums;
import org.clipmsm.linalg.Matrix;

/**
 * The probe images of a dissected voxel set (the paper's Fig. 4): the label that is the top label (argmax of the
 * scores) of most of the set's voxels, ties to the lower label index, and per image the sum of the activations over
 * those voxels, whose largest entries are the label's probe images. Input: the set's score blocks
 * ({@link DissectVoxelSet}); the activations come from an {@link ActivationSource}, read only for the voxel blocks
 * that hold the winner's voxels, once the winner is known. Output: one {@link Probes}. The counts are integers and the
 * activation sums exact ({@link ExactSums}), so the result is the same bits on every runner and at any parallelism.
 *
 * <pre>{@code
 * PCollection<ScoreBlock> ffa = raw.apply(DissectVoxelSet.of(ffaSet, spec));
 * PCollection<FindProbeImages.Probes> probes = ffa.apply(
 *     FindProbeImages.withActivations(ActivationSource.npy("Q.npy"), voxels, images, labels));
 * }</pre>
 */
public final class FindProbeImages extends PTransform<PCollection<ScoreBlock>, PCollection<FindProbeImages.Probes>> {
  private static final long serialVersionUID = 1L;
  private final ActivationSource activations;
  private final long voxels;
  private final int images;
  private final int labels;
  private final int voxelsPerBlock;

  /**
   * The winning label ({@code -1} if no voxel of the set has a top label), how many voxels have each label on top,
   * how many have the winner, and per image the sum of their activations.
   */
  public record Probes(int winner, long[] counts, long members, double[] sums) implements Serializable {
    /** The {@code n} images of highest mean activation over the winner's voxels, ties to the lower image index. */
    public int[] top(int n) {
      return SemanticMaps.top(sums, 0, sums.length, Math.min(n, sums.length));
    }
  }

  private FindProbeImages(ActivationSource activations, long voxels, int images, int labels, int voxelsPerBlock) {
    this.activations = activations;
    this.voxels = voxels;
    this.images = images;
    this.labels = labels;
    this.voxelsPerBlock = voxelsPerBlock;
  }

  /**
   * @param activations Q of all {@code voxels} (the set's voxels index its columns), images x voxels
   * @param labels the number of labels of the scores
   */
  public static FindProbeImages withActivations(ActivationSource activations, long voxels, int images, int labels) {
    return new FindProbeImages(activations, voxels, images, labels, ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK);
  }

  /** Voxels read at a time (default {@value ReadVoxelBlocks#DEFAULT_VOXELS_PER_BLOCK}). */
  public FindProbeImages withVoxelsPerBlock(int n) {
    return new FindProbeImages(activations, voxels, images, labels, ReadVoxelBlocks.checkVoxelsPerBlock(n));
  }

  @Override
  public PCollection<Probes> expand(PCollection<ScoreBlock> scores) {
    PCollectionView<long[]> counts = scores
        .apply("Top-label counts", Combine.globally(new CountTopLabels(labels)))
        .setCoder(SerializableCoder.of(long[].class))
        .apply("Counts as side input", View.asSingleton());
    PCollectionView<long[]> members = scores
        .apply("Winner's voxels", ParDo.of(new WinnersVoxels(counts)).withSideInputs(counts))
        .setCoder(SerializableCoder.of(long[].class))
        .apply("Gather voxels", Combine.globally(new Gather()))
        .setCoder(SerializableCoder.of(long[].class))
        .apply("Voxels as side input", View.asSingleton());
    return scores.getPipeline()
        .apply("Voxel ranges", Create.of(ReadVoxelBlocks.ranges(voxels, voxelsPerBlock))
            .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
        .apply("Activation sums per block", ParDo.of(new BlockSums(activations, members, images))
            .withSideInputs(members))
        .setCoder(ExactSumsCoder.of())
        .apply("Exact sums", Combine.globally(new MergeSums(images)))
        .setCoder(ExactSumsCoder.of())
        .apply("Probes", ParDo.of(new ToProbes(counts, members)).withSideInputs(counts, members))
        .setCoder(SerializableCoder.of(Probes.class));
  }

  /** The label most voxels have on top; -1 if none has one. */
  static int winner(long[] counts) {
    int w = -1;
    for (int d = 0; d < counts.length; d++) {
      if (counts[d] > 0 && (w < 0 || counts[d] > counts[w])) {
        w = d;
      }
    }
    return w;
  }

  private static final class CountTopLabels extends Combine.CombineFn<ScoreBlock, long[], long[]> {
    private static final long serialVersionUID = 1L;
    private final int labels;

    CountTopLabels(int labels) {
      this.labels = labels;
    }

    @Override
    public long[] createAccumulator() {
      return new long[labels];
    }

    @Override
    public long[] addInput(long[] acc, ScoreBlock b) {
      for (int a : SemanticMaps.argmax(b.scores(), b.rows(), b.labels())) {
        if (a >= 0) {
          acc[a]++;
        }
      }
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] out = new long[labels];
      for (long[] a : accs) {
        for (int d = 0; d < labels; d++) {
          out[d] += a[d];
        }
      }
      return out;
    }

    @Override
    public long[] extractOutput(long[] acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<long[]> getAccumulatorCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<ScoreBlock> in) {
      return SerializableCoder.of(long[].class);
    }
  }

  /** A block's voxels whose top label is the winner. */
  private static final class WinnersVoxels extends DoFn<ScoreBlock, long[]> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<long[]> counts;

    WinnersVoxels(PCollectionView<long[]> counts) {
      this.counts = counts;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      ScoreBlock b = c.element();
      int w = winner(c.sideInput(counts));
      int[] top = SemanticMaps.argmax(b.scores(), b.rows(), b.labels());
      long[] out = new long[b.rows()];
      int n = 0;
      for (int r = 0; r < b.rows(); r++) {
        if (w >= 0 && top[r] == w) {
          out[n++] = b.voxels()[r];
        }
      }
      if (n > 0) {
        c.output(Arrays.copyOf(out, n));
      }
    }
  }

  /** All voxels, ascending whatever order the pieces came in. */
  private static final class Gather extends Combine.CombineFn<long[], long[], long[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public long[] createAccumulator() {
      return new long[0];
    }

    @Override
    public long[] addInput(long[] acc, long[] in) {
      long[] out = Arrays.copyOf(acc, acc.length + in.length);
      System.arraycopy(in, 0, out, acc.length, in.length);
      return out;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] out = new long[0];
      for (long[] a : accs) {
        out = addInput(out, a);
      }
      return out;
    }

    @Override
    public long[] extractOutput(long[] acc) {
      long[] sorted = acc.clone();
      Arrays.sort(sorted);
      return sorted;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<long[]> getAccumulatorCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<long[]> in) {
      return SerializableCoder.of(long[].class);
    }
  }

  /** Per image, the exact sum of a voxel range's columns that belong to the winner's voxels. */
  private static final class BlockSums extends DoFn<KV<Long, Integer>, ExactSums> {
    private static final long serialVersionUID = 1L;
    private final ActivationSource activations;
    private final PCollectionView<long[]> members;
    private final int images;

    BlockSums(ActivationSource activations, PCollectionView<long[]> members, int images) {
      this.activations = activations;
      this.members = members;
      this.images = images;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long first = c.element().getKey();
      int count = c.element().getValue();
      long[] m = c.sideInput(members);
      int from = lowerBound(m, first);
      int to = lowerBound(m, first + count);
      if (from == to) {
        return;
      }
      Matrix q = activations.columns(first, count);
      double[] d = q.data();
      ExactSums sums = new ExactSums(images);
      for (int k = from; k < to; k++) {
        int off = (int) (m[k] - first) * q.rows();
        for (int i = 0; i < images; i++) {
          sums.add(i, d[off + i]);
        }
      }
      c.output(sums);
    }

    private static int lowerBound(long[] a, long key) {
      int i = Arrays.binarySearch(a, key);
      return i >= 0 ? i : -i - 1;
    }
  }

  private static final class MergeSums extends Combine.CombineFn<ExactSums, ExactSums, ExactSums> {
    private static final long serialVersionUID = 1L;
    private final int images;

    MergeSums(int images) {
      this.images = images;
    }

    @Override
    public ExactSums createAccumulator() {
      return new ExactSums(images);
    }

    @Override
    public ExactSums addInput(ExactSums acc, ExactSums in) {
      return acc.merge(in);
    }

    @Override
    public ExactSums mergeAccumulators(Iterable<ExactSums> accs) {
      ExactSums out = new ExactSums(images);
      for (ExactSums a : accs) {
        out.merge(a);
      }
      return out;
    }

    @Override
    public ExactSums extractOutput(ExactSums acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<ExactSums> getAccumulatorCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<ExactSums> in) {
      return ExactSumsCoder.of();
    }
  }

  private static final class ToProbes extends DoFn<ExactSums, Probes> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<long[]> counts;
    private final PCollectionView<long[]> members;

    ToProbes(PCollectionView<long[]> counts, PCollectionView<long[]> members) {
      this.counts = counts;
      this.members = members;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long[] n = c.sideInput(counts);
      c.output(new Probes(winner(n), n, c.sideInput(members).length, c.element().sums()));
    }
  }
}
