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
    PCollectionView<TopLabels> top = scores
        .apply("Top labels", Combine.globally(new CollectTopLabels(labels)))
        .setCoder(SerializableCoder.of(TopLabels.class))
        .apply("Top labels as side input", View.asSingleton());
    return scores.getPipeline()
        .apply("Voxel ranges", Create.of(ReadVoxelBlocks.ranges(voxels, voxelsPerBlock))
            .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
        .apply("Activation sums per block", ParDo.of(new BlockSums(activations, top, images)).withSideInputs(top))
        .setCoder(ExactSumsCoder.of())
        .apply("Exact sums", Combine.globally(new MergeSums(images)))
        .setCoder(ExactSumsCoder.of())
        .apply("Probes", ParDo.of(new ToProbes(top)).withSideInputs(top))
        .setCoder(SerializableCoder.of(Probes.class));
  }

  /** The label most voxels have on top (ties: the lower label); -1 if none has one. */
  static int winner(long[] counts) {
    int w = -1;
    for (int d = 0; d < counts.length; d++) {
      if (counts[d] > 0 && (w < 0 || counts[d] > counts[w])) {
        w = d;
      }
    }
    return w;
  }

  /** How many voxels have each label on top, the label most have (-1: none), and its voxels in ascending order. */
  record TopLabels(long[] counts, int winner, long[] members) implements Serializable {}

  /** Every voxel's top label, gathered whatever the order of the blocks, then counted. */
  private static final class CollectTopLabels extends Combine.CombineFn<ScoreBlock, CollectTopLabels.Pairs,
      TopLabels> {
    private static final long serialVersionUID = 1L;
    private final int labels;

    /** (voxel, top label) pairs. */
    static final class Pairs implements Serializable {
      private static final long serialVersionUID = 1L;
      long[] voxels = new long[0];
      int[] labels = new int[0];
      int n;

      void add(long voxel, int label) {
        if (n == voxels.length) {
          voxels = Arrays.copyOf(voxels, Math.max(16, 2 * n));
          labels = Arrays.copyOf(labels, voxels.length);
        }
        voxels[n] = voxel;
        labels[n++] = label;
      }
    }

    CollectTopLabels(int labels) {
      this.labels = labels;
    }

    @Override
    public Pairs createAccumulator() {
      return new Pairs();
    }

    @Override
    public Pairs addInput(Pairs acc, ScoreBlock b) {
      int[] top = SemanticMaps.argmax(b.scores(), b.rows(), b.labels());
      for (int r = 0; r < b.rows(); r++) {
        if (top[r] >= 0) {
          acc.add(b.voxels()[r], top[r]);
        }
      }
      return acc;
    }

    @Override
    public Pairs mergeAccumulators(Iterable<Pairs> accs) {
      Pairs out = new Pairs();
      for (Pairs a : accs) {
        for (int k = 0; k < a.n; k++) {
          out.add(a.voxels[k], a.labels[k]);
        }
      }
      return out;
    }

    @Override
    public TopLabels extractOutput(Pairs acc) {
      long[] counts = new long[labels];
      for (int k = 0; k < acc.n; k++) {
        counts[acc.labels[k]]++;
      }
      int w = winner(counts);
      long[] members = new long[w < 0 ? 0 : (int) counts[w]];
      int m = 0;
      for (int k = 0; k < acc.n; k++) {
        if (acc.labels[k] == w) {
          members[m++] = acc.voxels[k];
        }
      }
      Arrays.sort(members);
      return new TopLabels(counts, w, members);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Pairs> getAccumulatorCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<ScoreBlock> in) {
      return SerializableCoder.of(Pairs.class);
    }
  }

  /** Per image, the exact sum of a voxel range's columns that belong to the winner's voxels. */
  private static final class BlockSums extends DoFn<KV<Long, Integer>, ExactSums> {
    private static final long serialVersionUID = 1L;
    private final ActivationSource activations;
    private final PCollectionView<TopLabels> top;
    private final int images;

    BlockSums(ActivationSource activations, PCollectionView<TopLabels> top, int images) {
      this.activations = activations;
      this.top = top;
      this.images = images;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long first = c.element().getKey();
      int count = c.element().getValue();
      long[] m = c.sideInput(top).members();
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

    // Also the coder of the default value Combine.globally puts in the graph for an empty input: inferred, it would
    // be Java serialization of one array per image, decoded each time the runner deserializes a DoFn (2 s here).
    @Override
    public org.apache.beam.sdk.coders.Coder<ExactSums> getDefaultOutputCoder(CoderRegistry r,
        org.apache.beam.sdk.coders.Coder<ExactSums> in) {
      return ExactSumsCoder.of();
    }
  }

  private static final class ToProbes extends DoFn<ExactSums, Probes> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<TopLabels> top;

    ToProbes(PCollectionView<TopLabels> top) {
      this.top = top;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      TopLabels t = c.sideInput(top);
      c.output(new Probes(t.winner(), t.counts(), t.members().length, c.element().sums()));
    }
  }
}
