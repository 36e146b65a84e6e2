package org.clipmsm.beam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.stats.BenjaminiHochberg;

/**
 * Benjamini-Hochberg q-values over all voxels (docs/method.md §3). BH ranks every p-value against all others, so the
 * blocks are gathered by one global combine (V doubles: small even for whole-brain data), adjusted, and handed back
 * in the same blocks. NaN p-values stay NaN and do not count.
 *
 * <pre>{@code
 * PCollection<VoxelValues> q = pValues.apply(AdjustFdr.create());
 * // significant: q <= 0.05, see BenjaminiHochberg.significant
 * }</pre>
 */
public final class AdjustFdr extends PTransform<PCollection<VoxelValues>, PCollection<VoxelValues>> {
  private static final long serialVersionUID = 1L;

  public static AdjustFdr create() {
    return new AdjustFdr();
  }

  @Override
  public PCollection<VoxelValues> expand(PCollection<VoxelValues> pValues) {
    return pValues
        .apply("Gather p-values", Combine.globally(new Gather()))
        .setCoder(ListCoder.of(VoxelValues.Coder.of()))
        .apply("Benjamini-Hochberg", ParDo.of(new Adjust()))
        .setCoder(VoxelValues.Coder.of());
  }

  static final class Gather extends Combine.CombineFn<VoxelValues, List<VoxelValues>, List<VoxelValues>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<VoxelValues> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<VoxelValues> addInput(List<VoxelValues> acc, VoxelValues input) {
      acc.add(input);
      return acc;
    }

    @Override
    public List<VoxelValues> mergeAccumulators(Iterable<List<VoxelValues>> accs) {
      List<VoxelValues> out = new ArrayList<>();
      accs.forEach(out::addAll);
      return out;
    }

    @Override
    public List<VoxelValues> extractOutput(List<VoxelValues> acc) {
      List<VoxelValues> sorted = new ArrayList<>(acc);
      sorted.sort(Comparator.comparingLong(VoxelValues::firstVoxel));
      return sorted;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<VoxelValues>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<VoxelValues> inputCoder) {
      return ListCoder.of(VoxelValues.Coder.of());
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<VoxelValues>> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<VoxelValues> inputCoder) {
      return ListCoder.of(VoxelValues.Coder.of());
    }
  }

  private static final class Adjust extends DoFn<List<VoxelValues>, VoxelValues> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element List<VoxelValues> blocks, OutputReceiver<VoxelValues> out) {
      int total = blocks.stream().mapToInt(b -> b.values().length).sum();
      double[] all = new double[total];
      int off = 0;
      for (VoxelValues b : blocks) {
        System.arraycopy(b.values(), 0, all, off, b.values().length);
        off += b.values().length;
      }
      double[] q = BenjaminiHochberg.adjust(all);
      off = 0;
      for (VoxelValues b : blocks) {
        double[] part = new double[b.values().length];
        System.arraycopy(q, off, part, 0, part.length);
        off += part.length;
        out.output(new VoxelValues(b.firstVoxel(), part));
      }
    }
  }
}
