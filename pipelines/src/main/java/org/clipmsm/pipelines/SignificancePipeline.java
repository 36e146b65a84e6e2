package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.AdjustFdr;
import org.clipmsm.beam.PredictionBlock;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.beam.SignificanceBlock;
import org.clipmsm.beam.TestSignificance;
import org.clipmsm.beam.VoxelValues;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.stats.BenjaminiHochberg;

/**
 * {@code clipmsm significance}: bootstrap p-values of test R^2 and Benjamini-Hochberg q-values; writes r2.npy,
 * p.npy, q.npy and significant.npy (bool), staged until the pipeline has succeeded.
 */
public final class SignificancePipeline {
  private SignificancePipeline() {}

  /** Voxels tested and voxels significant. */
  public record Summary(int voxels, int significant, int undefined) {}

  public static Summary run(SignificanceOptions o) {
    if (!(o.getQ() > 0 && o.getQ() < 1)) {
      throw new InvalidInputException("--q: expected an FDR level in (0, 1), got " + o.getQ());
    }
    boolean bootstrap = o.getPValues() == null;
    int voxels;
    if (bootstrap) {
      if (o.getPred() == null || o.getActual() == null) {
        throw new InvalidInputException("significance: give --pred and --actual, or --p-values");
      }
      Path pred = Path.of(o.getPred());
      Path actual = Path.of(o.getActual());
      NpyHeader ph = Npy.readHeader(pred);
      NpyHeader ah = Npy.readHeader(actual);
      FitPipeline.requireMatrix(pred, ph, "test rows x voxels");
      FitPipeline.requireMatrix(actual, ah, "test rows x voxels");
      if (ph.rows() != ah.rows() || ph.cols() != ah.cols()) {
        throw new InvalidInputException(actual.getFileName() + ": shape (" + ah.rows() + ", " + ah.cols()
            + "), but " + pred.getFileName() + " has (" + ph.rows() + ", " + ph.cols() + "); expected the same");
      }
      if (ph.rows() < org.clipmsm.ridge.DataSplit.MIN_TEST_ROWS) {
        throw new InvalidInputException(pred.getFileName() + ": " + ph.rows() + " test rows; need at least "
            + org.clipmsm.ridge.DataSplit.MIN_TEST_ROWS);
      }
      voxels = ph.cols();
    } else {
      voxels = Npy.readVector(Path.of(o.getPValues())).length;
    }
    try (OutputDirectory out = OutputDirectory.open(Path.of(o.getOut()), "significance")) {
      NpyVectorRange.create(out.file("p.npy"), voxels);
      NpyVectorRange.create(out.file("q.npy"), voxels);
      String dir = out.staging().toString();
      Pipeline pipeline = Pipeline.create(o);
      PCollection<VoxelValues> p;
      if (bootstrap) {
        NpyVectorRange.create(out.file("r2.npy"), voxels);
        PCollection<SignificanceBlock> sig = pipeline
            .apply("Voxel ranges", Create.of(ReadVoxelBlocks.ranges(voxels, o.getVoxelsPerBlock()))
                .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
            .apply("Spread ranges", Reshuffle.viaRandomKey())
            .apply("Read predictions", ParDo.of(new ReadPredictionColumns(o.getPred(), o.getActual())))
            .setCoder(PredictionBlock.Coder.of())
            .apply("Bootstrap", TestSignificance.create().withBootstraps(o.getBootstraps()).withSeed(o.getBootstrapSeed())
                .withTotalVoxels(voxels));
        sig.apply("R2", MapElements.into(TypeDescriptor.of(VoxelValues.class))
                .via((SignificanceBlock b) -> new VoxelValues(b.firstVoxel(), b.r2())))
            .setCoder(VoxelValues.Coder.of())
            .apply("Write R2", ParDo.of(new WriteValues(dir, "r2.npy")));
        p = sig.apply("p-values", MapElements.into(TypeDescriptor.of(VoxelValues.class))
            .via(SignificanceBlock::pValues)).setCoder(VoxelValues.Coder.of());
      } else {
        p = pipeline.apply("Read p-values", Create.of(o.getPValues()))
            .apply("Blocks", ParDo.of(new VectorBlocks(o.getVoxelsPerBlock(), dir, "p.npy")))
            .setCoder(VoxelValues.Coder.of());
      }
      if (bootstrap) {
        p.apply("Write p", ParDo.of(new WriteValues(dir, "p.npy")));
      }
      p.apply("FDR", AdjustFdr.create())
          .apply("Write q", ParDo.of(new WriteValues(dir, "q.npy")));
      pipeline.run().waitUntilFinish();
      double[] q = Npy.readVector(out.file("q.npy"));
      boolean[] sig = BenjaminiHochberg.significant(q, o.getQ());
      Npy.writeBoolVector(out.file("significant.npy"), sig);
      out.commit();
      int nsig = 0;
      for (boolean s : sig) {
        nsig += s ? 1 : 0;
      }
      return new Summary(voxels, nsig, FitPipeline.countNaN(q));
    }
  }

  /** Reads the same voxel columns of the prediction and response files. */
  static final class ReadPredictionColumns extends DoFn<KV<Long, Integer>, PredictionBlock> {
    private static final long serialVersionUID = 1L;
    private final String pred;
    private final String actual;

    ReadPredictionColumns(String pred, String actual) {
      this.pred = pred;
      this.actual = actual;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> r, OutputReceiver<PredictionBlock> out) {
      int first = r.getKey().intValue();
      int count = r.getValue();
      Path pf = Path.of(pred);
      Path af = Path.of(actual);
      int rows = Npy.readHeader(pf).rows();
      Matrix p = new Matrix(rows, count, Npy.readColumns(pf, first, count));
      Matrix a = new Matrix(rows, count, Npy.readColumns(af, first, count));
      out.output(new PredictionBlock(first, p, a));
    }
  }

  /** Splits a 1-D .npy file into voxel blocks (and stages a copy of it under {@code copyName}). */
  static final class VectorBlocks extends DoFn<String, VoxelValues> {
    private static final long serialVersionUID = 1L;
    private final int size;
    private final String dir;
    private final String copyName;

    VectorBlocks(int size, String dir, String copyName) {
      this.size = size;
      this.dir = dir;
      this.copyName = copyName;
    }

    @ProcessElement
    public void process(@Element String file, OutputReceiver<VoxelValues> out) {
      double[] v = Npy.readVector(Path.of(file));
      if (copyName != null) {
        NpyVectorRange.write(Path.of(dir, copyName), 0, v);
      }
      for (int first = 0; first < v.length; first += size) {
        out.output(new VoxelValues(first, Arrays.copyOfRange(v, first, Math.min(v.length, first + size))));
      }
    }
  }

  /** Writes each block's values in place into a staged 1-D .npy file. */
  static final class WriteValues extends DoFn<VoxelValues, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;
    private final String name;

    WriteValues(String dir, String name) {
      this.dir = dir;
      this.name = name;
    }

    @ProcessElement
    public void process(@Element VoxelValues b) {
      NpyVectorRange.write(Path.of(dir, name), b.firstVoxel(), b.values());
    }
  }
}
