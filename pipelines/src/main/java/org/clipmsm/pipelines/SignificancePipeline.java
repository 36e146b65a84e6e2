package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.AdjustFdr;
import org.clipmsm.beam.PredictionSource;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.beam.SignificanceBlock;
import org.clipmsm.beam.TestSignificance;
import org.clipmsm.beam.VoxelValues;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.pipelines.output.WriteNpy;
import org.clipmsm.ridge.DataSplit;
import org.clipmsm.stats.BenjaminiHochberg;

/**
 * Bootstrap p-values of test R^2 and Benjamini-Hochberg q-values (docs/method.md §3.2-3.3). Writes in its directory
 * {@code r2.npy}, {@code p.npy}, {@code q.npy} and {@code significant.npy} (bool, q &lt;= the FDR level); with given
 * p-values only {@code p.npy} (their float64 copy), {@code q.npy} and {@code significant.npy}.
 *
 * <pre>{@code
 * SignificancePipeline.Summary s = SignificancePipeline.run(options,
 *     SignificanceSettings.bootstrap(Path.of("pred_test.npy"), Path.of("y_test.npy"), Path.of("sig")));
 * }</pre>
 */
public final class SignificancePipeline
    implements StagedPipeline<SignificancePipeline.Outputs, SignificancePipeline.Summary> {
  public static final String R2 = "r2.npy";
  public static final String P = "p.npy";
  public static final String Q = "q.npy";
  public static final String SIGNIFICANT = "significant.npy";

  private final SignificanceSettings settings;
  private final int voxels;
  private final double[] pValues;
  private final Progress progress;

  /** Voxels tested, voxels significant, and voxels without a p-value (undefined R^2). */
  public record Summary(int voxels, int significant, int undefined) {}

  /** The p-values and q-values by voxel block. */
  public record Outputs(PCollection<VoxelValues> p, PCollection<VoxelValues> q) {}

  private SignificancePipeline(SignificanceSettings settings, int voxels, double[] pValues, Progress progress) {
    this.settings = settings;
    this.voxels = voxels;
    this.pValues = pValues;
    this.progress = progress;
  }

  /** Checks the inputs: predictions and responses of one shape, or p-values in [0, 1]. */
  public static SignificancePipeline of(SignificanceSettings s) {
    if (!s.bootstraps()) {
      double[] p = Npy.readVector(s.pValues());
      for (int i = 0; i < p.length; i++) {
        if (!(p[i] >= 0 && p[i] <= 1) && !Double.isNaN(p[i])) {
          throw new InvalidInputException(s.pValues().getFileName() + ": p-value " + p[i] + " at voxel " + i
              + " (expected a probability in [0, 1], or NaN where a voxel has none)");
        }
      }
      return new SignificancePipeline(s, p.length, p, Progress.quiet());
    }
    NpyHeader ph = Inputs.matrix(s.pred(), "test rows x voxels");
    NpyHeader ah = Inputs.matrix(s.actual(), "test rows x voxels");
    if (ph.rows() != ah.rows() || ph.cols() != ah.cols()) {
      throw new InvalidInputException(s.actual().getFileName() + ": shape (" + ah.rows() + ", " + ah.cols()
          + "), but " + s.pred().getFileName() + " has (" + ph.rows() + ", " + ph.cols() + "); expected the same");
    }
    if (ph.rows() < DataSplit.MIN_TEST_ROWS) {
      throw new InvalidInputException(s.pred().getFileName() + ": " + ph.rows() + " test rows; need at least "
          + DataSplit.MIN_TEST_ROWS);
    }
    return new SignificancePipeline(s, ph.cols(), null, Progress.quiet());
  }

  /** Where the bootstrap reports progress. */
  public SignificancePipeline withProgress(Progress p) {
    return new SignificancePipeline(settings, voxels, pValues, p);
  }

  public static Summary run(PipelineOptions options, SignificanceSettings s, Progress progress) {
    return PipelineRuns.toDirectory(options, s.out(), of(s).withProgress(progress));
  }

  @Override
  public List<Path> inputs() {
    return settings.bootstraps() ? List.of(settings.pred(), settings.actual()) : List.of(settings.pValues());
  }

  @Override
  public Outputs expand(StageGraph graph, Path out) {
    if (!settings.bootstraps()) {
      Npy.writeVector(out.resolve(P), pValues, Npy.DType.FLOAT64);
      NpyRanges.createVector(out.resolve(Q), voxels);
      PCollection<VoxelValues> p = graph.begin("Read p-values", Create.of(settings.pValues().toString()))
          .apply("Blocks", ParDo.of(WriteNpy.vectorBlocks(settings.voxelsPerBlock())))
          .setCoder(VoxelValues.Coder.of());
      PCollection<VoxelValues> q = p.apply("FDR", AdjustFdr.create());
      graph.wrote(q.apply("Write q", ParDo.of(WriteNpy.values(out.resolve(Q)))));
      return new Outputs(p, q);
    }
    NpyRanges.createVector(out.resolve(R2), voxels);
    PCollection<KV<Long, Integer>> ranges = graph
        .begin("Voxel ranges", Create.of(ReadVoxelBlocks.ranges(voxels, settings.voxelsPerBlock()))
            .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
        .apply("Spread ranges", Reshuffle.viaRandomKey());
    return testAndAdjust(graph, ranges, PredictionSource.npy(settings.pred().toString(), settings.actual().toString()),
        settings.test(), voxels, progress, out.resolve(R2), out);
  }

  /**
   * The bootstrap and FDR of the voxel ranges' test predictions (each block read from {@code predictions} by the
   * worker that tests it), writing {@code p.npy} and {@code q.npy} (and the blocks' test R^2 into {@code r2} unless
   * null) under {@code out}; {@link FitPipeline} composes the same graph over the ranges it has written.
   */
  static Outputs testAndAdjust(StageGraph graph, PCollection<KV<Long, Integer>> ranges, PredictionSource predictions,
      SignificanceTest test, long voxels, Progress progress, Path r2, Path out) {
    NpyRanges.createVector(out.resolve(P), Math.toIntExact(voxels));
    NpyRanges.createVector(out.resolve(Q), Math.toIntExact(voxels));
    PCollection<SignificanceBlock> sig = ranges.apply("Bootstrap", TestSignificance.create()
        .withBootstraps(test.bootstraps()).withSeed(test.bootstrapSeed()).withTotalVoxels(voxels)
        .withProgress(progress).fromSource(predictions));
    if (r2 != null) {
      PCollection<Void> r2Written = sig.apply("R2", MapElements.into(TypeDescriptor.of(VoxelValues.class))
              .via((SignificanceBlock b) -> new VoxelValues(b.firstVoxel(), b.r2())))
          .setCoder(VoxelValues.Coder.of())
          .apply("Write R2", ParDo.of(WriteNpy.values(r2)));
      graph.wrote(r2Written);
    }
    PCollection<VoxelValues> p = sig.apply("p-values", MapElements.into(TypeDescriptor.of(VoxelValues.class))
        .via(SignificanceBlock::pValues)).setCoder(VoxelValues.Coder.of());
    PCollection<VoxelValues> q = p.apply("FDR", AdjustFdr.create());
    graph.wrote(p.apply("Write p", ParDo.of(WriteNpy.values(out.resolve(P)))));
    graph.wrote(q.apply("Write q", ParDo.of(WriteNpy.values(out.resolve(Q)))));
    return new Outputs(p, q);
  }

  @Override
  public Summary finish(Path out) {
    double[] q = Npy.readVector(out.resolve(Q));
    return new Summary(voxels, writeSignificant(q, settings.test().q(), out), Summaries.countNaN(q));
  }

  /** {@code significant.npy}: q at or below the FDR level. Returns how many voxels are significant. */
  static int writeSignificant(double[] q, double level, Path out) {
    boolean[] sig = BenjaminiHochberg.significant(q, level);
    Npy.writeBoolVector(out.resolve(SIGNIFICANT), sig);
    int n = 0;
    for (boolean b : sig) {
      n += b ? 1 : 0;
    }
    return n;
  }
}
