package org.clipmsm.beam;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
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

  /**
   * The same for several sets at once, keyed by set index as {@link DissectVoxelSets} writes them ({@code sets} of
   * them, numbered from 0): one graph for all sets, and each block of activations is read once for all of them. Every
   * set gets its {@link Probes}.
   */
  public PerSet perSet(int sets) {
    return new PerSet(this, sets);
  }

  /**
   * The same for several sets at once from their rows' top labels ({@link DissectVoxelSets.FromFile}'s output, keyed
   * by set index): what a dissection that keeps its scores out of memory passes on.
   */
  public PerSetOfTopLabels perSetOfTopLabels(int sets) {
    return new PerSetOfTopLabels(this, sets);
  }

  @Override
  public PCollection<Probes> expand(PCollection<ScoreBlock> scores) {
    return scores.apply("One set", WithKeys.<Integer, ScoreBlock>of(0))
        .setCoder(DissectVoxelSets.coder())
        .apply("Probes of the set", perSet(1))
        .apply("Probes", Values.create())
        .setCoder(SerializableCoder.of(Probes.class));
  }

  /** {@link FindProbeImages} of each set of {@link DissectVoxelSets}' output. */
  public static final class PerSet extends PTransform<PCollection<KV<Integer, ScoreBlock>>,
      PCollection<KV<Integer, Probes>>> {
    private static final long serialVersionUID = 1L;
    private final FindProbeImages spec;
    private final int sets;

    private PerSet(FindProbeImages spec, int sets) {
      this.spec = spec;
      this.sets = sets;
    }

    @Override
    public PCollection<KV<Integer, Probes>> expand(PCollection<KV<Integer, ScoreBlock>> scores) {
      return scores
          .apply("Top labels of the rows", MapElements.into(new TypeDescriptor<KV<Integer, TopLabelRows>>() {})
              .via((KV<Integer, ScoreBlock> e) -> KV.of(e.getKey(), TopLabelRows.of(e.getValue()))))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(TopLabelRows.class)))
          .apply("Probes of each set", new PerSetOfTopLabels(spec, sets));
    }
  }

  /** {@link FindProbeImages#perSetOfTopLabels}. */
  public static final class PerSetOfTopLabels extends PTransform<PCollection<KV<Integer, TopLabelRows>>,
      PCollection<KV<Integer, Probes>>> {
    private static final long serialVersionUID = 1L;
    private final FindProbeImages spec;
    private final int sets;

    private PerSetOfTopLabels(FindProbeImages spec, int sets) {
      this.spec = spec;
      this.sets = sets;
    }

    @Override
    public PCollection<KV<Integer, Probes>> expand(PCollection<KV<Integer, TopLabelRows>> scores) {
      PCollectionView<Map<Integer, TopLabels>> top = scores
          .apply("Top labels", Combine.perKey(new CollectTopLabels(spec.labels)))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(TopLabels.class)))
          .apply("Top labels as side input", View.asMap());
      return scores.getPipeline()
          .apply("Voxel ranges", Create.of(ReadVoxelBlocks.ranges(spec.voxels, spec.voxelsPerBlock))
              .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
          .apply("Activation sums per block", ParDo.of(new BlockSums(spec.activations, top, spec.images, sets))
              .withSideInputs(top))
          .setCoder(KvCoder.of(VarIntCoder.of(), ExactSumsCoder.of()))
          .apply("Exact sums", Combine.perKey(new MergeSums(spec.images)))
          .setCoder(KvCoder.of(VarIntCoder.of(), ExactSumsCoder.of()))
          .apply("Probes", ParDo.of(new ToProbes(top, spec.labels)).withSideInputs(top))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Probes.class)));
    }
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
  private static final class CollectTopLabels extends Combine.CombineFn<TopLabelRows, CollectTopLabels.Pairs,
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
    public Pairs addInput(Pairs acc, TopLabelRows b) {
      for (int r = 0; r < b.voxels().length; r++) {
        if (b.labels()[r] >= 0) {
          acc.add(b.voxels()[r], b.labels()[r]);
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
        org.apache.beam.sdk.coders.Coder<TopLabelRows> in) {
      return SerializableCoder.of(Pairs.class);
    }
  }

  /**
   * Per set and image, the exact sum of a voxel range's columns that belong to the set's winner's voxels; the range is
   * read once for all sets. The first range gives every set a sum, empty where it has none of the winner's voxels, so
   * that every set reaches {@link ToProbes}.
   */
  private static final class BlockSums extends DoFn<KV<Long, Integer>, KV<Integer, ExactSums>> {
    private static final long serialVersionUID = 1L;
    private final ActivationSource activations;
    private final PCollectionView<Map<Integer, TopLabels>> top;
    private final int images;
    private final int sets;

    BlockSums(ActivationSource activations, PCollectionView<Map<Integer, TopLabels>> top, int images, int sets) {
      this.activations = activations;
      this.top = top;
      this.images = images;
      this.sets = sets;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long first = c.element().getKey();
      int count = c.element().getValue();
      Map<Integer, TopLabels> tops = c.sideInput(top);
      Matrix q = null;
      for (int set = 0; set < sets; set++) {
        TopLabels t = tops.get(set);
        long[] m = t == null ? new long[0] : t.members();
        int from = lowerBound(m, first);
        int to = lowerBound(m, first + count);
        ExactSums sums = new ExactSums(images);
        if (from < to) {
          if (q == null) {
            q = activations.columns(first, count);
          }
          double[] d = q.data();
          for (int k = from; k < to; k++) {
            int off = (int) (m[k] - first) * q.rows();
            for (int i = 0; i < images; i++) {
              sums.add(i, d[off + i]);
            }
          }
        } else if (first != 0) {
          continue;
        }
        c.output(KV.of(set, sums));
      }
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

  private static final class ToProbes extends DoFn<KV<Integer, ExactSums>, KV<Integer, Probes>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<Integer, TopLabels>> top;
    private final int labels;

    ToProbes(PCollectionView<Map<Integer, TopLabels>> top, int labels) {
      this.top = top;
      this.labels = labels;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      TopLabels t = c.sideInput(top).get(c.element().getKey());
      if (t == null) {
        // A set none of whose voxels has a top label (every score undefined): no counts, no winner.
        t = new TopLabels(new long[labels], -1, new long[0]);
      }
      c.output(KV.of(c.element().getKey(), new Probes(t.winner(), t.counts(), t.members().length,
          c.element().getValue().sums())));
    }
  }
}
