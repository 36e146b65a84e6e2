package org.clipmsm.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.InvalidInputException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.clipmsm.beam.AdjustFdr;
import org.clipmsm.beam.ComputeNoiseCeiling;
import org.clipmsm.beam.FitEncodingModels;
import org.clipmsm.beam.GatherVoxelValues;
import org.clipmsm.beam.PredictionBlock;
import org.clipmsm.beam.SignificanceBlock;
import org.clipmsm.beam.TestSignificance;
import org.clipmsm.beam.VoxelValues;
import org.clipmsm.stats.BenjaminiHochberg;
import org.clipmsm.beam.ReadNpyMatrix;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.beam.ToEncodingModels;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.ridge.DataSplit;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.schemas.EncodingModel;

/**
 * {@code clipmsm fit}: voxel-wise ridge encoding models from .npy features and responses to a directory of .npy
 * arrays and an Avro file of {@link EncodingModel} records. Inputs are checked before anything runs; outputs are
 * staged and moved into place only when the whole pipeline has succeeded.
 */
public final class FitPipeline {
  public static final String WEIGHTS = "weights.npy";
  public static final String BIAS = "bias.npy";
  public static final String ALPHA = "alpha.npy";
  public static final String TEST_INDEX = "test_index.npy";
  public static final String PRED_TEST = "pred_test.npy";
  public static final String R2 = "r2.npy";
  public static final String R = "r.npy";
  public static final String MODELS = "models.avro";

  private FitPipeline() {}

  public static final String P = "p.npy";
  public static final String Q = "q.npy";
  public static final String SIGNIFICANT = "significant.npy";
  public static final String NOISE_CEILING = "noise_ceiling.npy";

  /** What the fit produced, for the command's summary line (significant is -1 without --significance). */
  public record Summary(int images, int features, int voxels, int trainRows, int testRows, int undefinedR2,
      double medianR2, int significant) {}

  public static Summary run(FitOptions o) {
    Path featuresFile = Path.of(o.getFeatures());
    Path responsesFile = Path.of(o.getResponses());
    NpyHeader fh = Npy.readHeader(featuresFile);
    NpyHeader rh = Npy.readHeader(responsesFile);
    requireMatrix(responsesFile, rh, "images x voxels");
    if (fh.ndim() != 2 && fh.ndim() != 3) {
      throw new InvalidInputException(featuresFile.getFileName() + ": expected a 2-D array (images x features),"
          + " found " + fh.ndim() + "-D");
    }
    if (fh.rows() != rh.rows()) {
      throw new InvalidInputException(responsesFile.getFileName() + ": " + rh.rows() + " rows (images), but "
          + featuresFile.getFileName() + " has " + fh.rows());
    }
    int n = fh.rows();
    int p = fh.cols();
    int voxels = rh.cols();
    if (p < 1 || voxels < 1) {
      throw new InvalidInputException((p < 1 ? featuresFile : responsesFile).getFileName()
          + ": expected at least one column");
    }
    Matrix features = new Matrix(n, p, Npy.readMatrix(featuresFile));
    features.requireFinite(featuresFile.getFileName().toString(), "features", 0);
    SplitSpec spec = splitSpec(o);
    DataSplit split = spec.toSplit(n);
    ComputeNoiseCeiling noiseCeiling = null;
    if (o.getNcsnr() != null) {
      noiseCeiling = NoiseCeilingPipeline.transform(o);
      int ncVoxels = Npy.readVector(Path.of(o.getNcsnr())).length;
      if (ncVoxels != voxels) {
        throw new InvalidInputException(Path.of(o.getNcsnr()).getFileName() + ": " + ncVoxels + " values, but "
            + responsesFile.getFileName() + " has " + voxels + " voxels (expected one ncsnr per voxel)");
      }
    }
    if (o.getWithSignificance() && !(o.getQ() > 0 && o.getQ() < 1)) {
      throw new InvalidInputException("--q: expected an FDR level in (0, 1), got " + o.getQ());
    }

    try (OutputDirectory out = OutputDirectory.open(Path.of(o.getOut()), "fit")) {
      long[] testIndex = new long[split.testRows().length];
      for (int i = 0; i < testIndex.length; i++) {
        testIndex[i] = split.testRows()[i];
      }
      Npy.writeLongVector(out.file(TEST_INDEX), testIndex);
      Npy.createMatrix(out.file(WEIGHTS), p, voxels, Npy.DType.FLOAT64);
      Npy.createMatrix(out.file(PRED_TEST), testIndex.length, voxels, Npy.DType.FLOAT64);
      for (String v : List.of(BIAS, ALPHA, R2, R)) {
        NpyVectorRange.create(out.file(v), voxels);
      }
      Path parts = out.file("models-parts");
      Files.createDirectories(parts);

      String dir = out.staging().toString();
      Pipeline pipeline = Pipeline.create(o);
      PCollection<Matrix> featuresPc = pipeline.apply("Read features", ReadNpyMatrix.from(o.getFeatures()));
      PCollection<RidgeBlockResult> fits = pipeline
          .apply("Read responses", ReadVoxelBlocks.from(o.getResponses()).withVoxelsPerBlock(o.getVoxelsPerBlock()))
          .apply("Fit", FitEncodingModels.withFeatures(featuresPc).withSplit(spec).withAlphas(o.getAlphas())
              .withTotalVoxels(voxels));
      ToEncodingModels records = ToEncodingModels.create();
      if (o.getWithSignificance()) {
        for (String v : List.of(P, Q)) {
          NpyVectorRange.create(out.file(v), voxels);
        }
        PCollection<VoxelValues> pValues = fits
            .apply("Test predictions", MapElements.into(TypeDescriptor.of(PredictionBlock.class))
                .via(PredictionBlock::of))
            .setCoder(PredictionBlock.Coder.of())
            .apply("Bootstrap", TestSignificance.create().withBootstraps(o.getBootstraps())
                .withSeed(o.getBootstrapSeed()).withTotalVoxels(voxels))
            .apply("p-values", MapElements.into(TypeDescriptor.of(VoxelValues.class)).via(SignificanceBlock::pValues))
            .setCoder(VoxelValues.Coder.of());
        PCollection<VoxelValues> qValues = pValues.apply("FDR", AdjustFdr.create());
        pValues.apply("Write p", ParDo.of(new SignificancePipeline.WriteValues(dir, P)));
        qValues.apply("Write q", ParDo.of(new SignificancePipeline.WriteValues(dir, Q)));
        records = records.withSignificance(pValues.apply("p by voxel", GatherVoxelValues.asView()),
            qValues.apply("q by voxel", GatherVoxelValues.asView()), o.getQ());
      }
      if (noiseCeiling != null) {
        NpyVectorRange.create(out.file(NOISE_CEILING), voxels);
        PCollection<VoxelValues> nc = pipeline.apply("ncsnr", Create.of(o.getNcsnr()))
            .apply("ncsnr blocks", ParDo.of(new SignificancePipeline.VectorBlocks(o.getVoxelsPerBlock(), null, null)))
            .setCoder(VoxelValues.Coder.of())
            .apply("Noise ceiling", noiseCeiling);
        nc.apply("Write noise ceiling", ParDo.of(new SignificancePipeline.WriteValues(dir, NOISE_CEILING)));
        records = records.withNoiseCeiling(nc.apply("NC by voxel", GatherVoxelValues.asView()));
      }
      fits.apply("Write blocks", ParDo.of(new WriteFitBlock(dir, records.recordMaker()))
          .withSideInputs(records.sideInputs()));
      pipeline.run().waitUntilFinish();
      int significant = -1;
      if (o.getWithSignificance()) {
        boolean[] sig = BenjaminiHochberg.significant(Npy.readVector(out.file(Q)), o.getQ());
        Npy.writeBoolVector(out.file(SIGNIFICANT), sig);
        significant = 0;
        for (boolean b : sig) {
          significant += b ? 1 : 0;
        }
      }

      List<Path> partFiles = new ArrayList<>();
      for (var range : ReadVoxelBlocks.ranges(voxels, o.getVoxelsPerBlock())) {
        partFiles.add(parts.resolve(partName(range.getKey())));
      }
      AvroParts.merge(partFiles, EncodingModel.getClassSchema(), out.file(MODELS));
      Files.delete(parts);
      double[] r2 = Npy.readVector(out.file(R2));
      out.commit();
      return new Summary(n, p, voxels, split.trainRows().length, testIndex.length, countNaN(r2), median(r2),
          significant);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static SplitSpec splitSpec(FitOptions o) {
    SplitSpec s = SplitSpec.defaults().withSeed(o.getSeed()).withTestFraction(o.getTestFraction());
    if (o.getTrainPieces() > 0) {
      s = s.withTrainPieces(o.getTrainPieces());
    }
    if (o.getTestIndex() != null) {
      Path f = Path.of(o.getTestIndex());
      s = s.withTestIndex(Npy.readLongVector(f), f.getFileName().toString());
    }
    s = s.withValFraction(o.getValFraction());
    if (o.getFolds() > 0) {
      s = s.withFolds(o.getFolds());
    }
    if (o.getValIndex() != null) {
      Path f = Path.of(o.getValIndex());
      s = s.withValIndex(Npy.readLongVector(f), f.getFileName().toString());
    }
    return s;
  }

  static void requireMatrix(Path file, NpyHeader h, String what) {
    if (h.ndim() != 2) {
      throw new InvalidInputException(file.getFileName() + ": expected a 2-D array (" + what + "), found shape "
          + java.util.Arrays.toString(h.shape()));
    }
  }

  static String partName(long firstVoxel) {
    return String.format("part-%012d.avro", firstVoxel);
  }

  static int countNaN(double[] v) {
    int c = 0;
    for (double x : v) {
      c += Double.isNaN(x) ? 1 : 0;
    }
    return c;
  }

  static double median(double[] v) {
    double[] f = java.util.Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (f.length == 0) {
      return Double.NaN;
    }
    return f.length % 2 == 1 ? f[f.length / 2] : 0.5 * (f[f.length / 2 - 1] + f[f.length / 2]);
  }

  /** Writes a fitted block's columns and values in place into the staged output files, and its Avro part. */
  static final class WriteFitBlock extends DoFn<RidgeBlockResult, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;
    private final ToEncodingModels.RecordMaker records;

    WriteFitBlock(String dir, ToEncodingModels.RecordMaker records) {
      this.dir = dir;
      this.records = records;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      RidgeBlockResult b = c.element();
      Path d = Path.of(dir);
      int first = (int) b.firstVoxel();
      Npy.writeColumns(d.resolve(WEIGHTS), first, b.weights().data(), b.voxels());
      Npy.writeColumns(d.resolve(PRED_TEST), first, b.testPredictions().data(), b.voxels());
      NpyVectorRange.write(d.resolve(BIAS), first, b.bias());
      NpyVectorRange.write(d.resolve(ALPHA), first, b.alpha());
      NpyVectorRange.write(d.resolve(R2), first, b.r2());
      NpyVectorRange.write(d.resolve(R), first, b.r());
      AvroParts.writePart(d.resolve("models-parts").resolve(partName(b.firstVoxel())),
          EncodingModel.getClassSchema(), records.records(b, c));
    }
  }
}
