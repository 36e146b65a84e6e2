package org.clipmsm.beam;

import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.InvalidInputException;
import org.clipmsm.netdissect.ConceptTally;
import org.clipmsm.netdissect.NetDissect;
import org.clipmsm.netdissect.NetDissection;

/**
 * Network Dissection of encoding-model voxels (Bau et al. 2017; docs/method.md §5), a thin wrapper over {@link
 * NetDissect#dissectChunk}: each block of encoding weights (features x voxels, {@code weights.npy} read with {@link
 * ReadVoxelBlocks}) is dissected over every probe image of a {@link ProbeSource} by the worker that holds it, in two
 * passes over the probe images (thresholds, then masks against the annotations); the output is one {@link
 * NetDissectBlock} per block. Voxels are the parallel axis: a worker holds one block's counts and one batch of maps,
 * and reads the probe images itself. The result depends only on the inputs, not on the blocks or the runner.
 *
 * <pre>{@code
 * BrodenSet broden = BrodenSet.open(Path.of("broden1_224"));
 * ProbeSource probes = BrodenProbeSource.of(broden, Float32Rows.open(Path.of("dense.npy"), 4, "dense features"),
 *     IntStream.range(0, broden.size()).toArray());             // dense rows in index.csv order
 * PCollection<NetDissectBlock> labels = p.apply(ReadVoxelBlocks.from("fit/weights.npy"))
 *     .apply(DissectNetwork.over(probes).with(NetDissection.defaults().withQuantile(0.01)));
 * }</pre>
 */
public final class DissectNetwork extends PTransform<PCollection<VoxelBlock>, PCollection<NetDissectBlock>> {
  private static final long serialVersionUID = 1L;
  private final ProbeSource probes;
  private final NetDissection spec;
  private final long totalVoxels;
  private final Progress progress;

  private DissectNetwork(ProbeSource probes, NetDissection spec, long totalVoxels, Progress progress) {
    this.probes = Objects.requireNonNull(probes, "probes");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.totalVoxels = totalVoxels;
    this.progress = progress;
  }

  /** NetDissect-Lite's parameters ({@link NetDissection#defaults()}) over these probe images. */
  public static DissectNetwork over(ProbeSource probes) {
    return new DissectNetwork(probes, NetDissection.defaults(), 0, Progress.quiet());
  }

  public DissectNetwork with(NetDissection s) {
    return new DissectNetwork(probes, s, totalVoxels, progress);
  }

  /** The number of voxels, only for progress lines. */
  public DissectNetwork withTotalVoxels(long n) {
    return new DissectNetwork(probes, spec, n, progress);
  }

  /** Where the stage "netdissect" reports its progress (default: counters only). */
  public DissectNetwork withProgress(Progress p) {
    return new DissectNetwork(probes, spec, totalVoxels, p);
  }

  @Override
  public PCollection<NetDissectBlock> expand(PCollection<VoxelBlock> weights) {
    return weights.apply("Dissect blocks", ParDo.of(new DissectBlock(probes, spec,
            progress.stage("netdissect", totalVoxels))))
        .setCoder(NetDissectBlock.Coder.of());
  }

  private static final class DissectBlock extends DoFn<VoxelBlock, NetDissectBlock> {
    private static final long serialVersionUID = 1L;
    private final ProbeSource probes;
    private final NetDissection spec;
    private final Progress.Stage progress;

    DissectBlock(ProbeSource probes, NetDissection spec, Progress.Stage progress) {
      this.probes = probes;
      this.spec = spec;
      this.progress = progress;
    }

    @ProcessElement
    public void process(@Element VoxelBlock w, OutputReceiver<NetDissectBlock> out) {
      progress.start(); // at the first element: in a larger pipeline the work may start long after setup
      int features = probes.geometry().features();
      if (w.values().rows() != features) {
        throw new InvalidInputException("weights: " + w.values().rows() + " rows (features), but the dense features"
            + " have " + features + " per position (expected weights of a model fitted on the same encoder's"
            + " embeddings, features x voxels)");
      }
      ConceptTally tally = NetDissect.dissectChunk(probes.open(), probes.geometry(), w.values(), probes.concepts(),
          spec, new NetDissect.Timing());
      out.output(NetDissectBlock.of(w.firstVoxel(), tally, spec.iouThreshold()));
      progress.blockDone(w.voxels());
    }
  }
}
