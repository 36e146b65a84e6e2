package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ComputeNoiseCeiling;
import org.clipmsm.beam.FitEncodingModels;
import org.clipmsm.beam.GatherVoxelValues;
import org.clipmsm.beam.PredictionSource;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.ReadNpyMatrix;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.beam.ToEncodingModels;
import org.clipmsm.beam.VoxelValues;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.output.AvroParts;
import org.clipmsm.pipelines.output.WriteNpy;
import org.clipmsm.ridge.DataSplit;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.schemas.EncodingModel;

/**
 * Voxel-wise ridge encoding models (docs/method.md §2) from .npy features and responses to a directory of .npy arrays
 * and an Avro file of {@link EncodingModel} records, with the bootstrap and FDR of {@link SignificancePipeline} and
 * the noise ceiling of {@link NoiseCeilingPipeline} in the same pipeline when the settings ask for them. Each voxel
 * block is fitted by a worker, which writes its columns in place into the pre-allocated staged files.
 *
 * <pre>{@code
 * FitPipeline.Summary s = FitPipeline.run(options,
 *     FitSettings.of(Path.of("X.npy"), Path.of("Y.npy"), Path.of("fit")).withSignificance(SignificanceTest.DEFAULTS),
 *     Progress.lines("my-study"));
 * }</pre>
 */
public final class FitPipeline implements StagedPipeline<FitPipeline.Outputs, FitPipeline.Summary> {
  public static final String WEIGHTS = "weights.npy";
  public static final String BIAS = "bias.npy";
  public static final String INTERCEPT = "intercept.npy";
  public static final String FEATURE_MEAN = "feature_mean.npy";
  public static final String ALPHA = "alpha.npy";
  public static final String TEST_INDEX = "test_index.npy";
  public static final String PRED_TEST = "pred_test.npy";
  public static final String R2 = "r2.npy";
  public static final String R = "r.npy";
  public static final String MODELS = "models.avro";
  public static final String P = SignificancePipeline.P;
  public static final String Q = SignificancePipeline.Q;
  public static final String SIGNIFICANT = SignificancePipeline.SIGNIFICANT;
  public static final String NOISE_CEILING = "noise_ceiling.npy";
  private static final String PARTS = "models-parts";

  private final FitSettings settings;
  private final SplitSpec split;
  private final int images;
  private final int features;
  private final int voxels;
  private final DataSplit rows;
  private final Progress progress;

  /** What the fit produced, for a summary line (significant is -1 without significance). */
  public record Summary(int images, int features, int voxels, int trainRows, int testRows, int undefinedR2,
      double medianR2, int significant) {}

  /**
   * The voxel ranges fitted (each emitted once its arrays are written), and by voxel block the p-values, q-values and
   * noise ceilings (null where the settings do not ask for them).
   */
  public record Outputs(PCollection<KV<Long, Integer>> fitted, PCollection<VoxelValues> p, PCollection<VoxelValues> q,
      PCollection<VoxelValues> noiseCeiling) {}

  private FitPipeline(FitSettings settings, SplitSpec split, int images, int features, int voxels, DataSplit rows,
      Progress progress) {
    this.settings = settings;
    this.split = split;
    this.images = images;
    this.features = features;
    this.voxels = voxels;
    this.rows = rows;
    this.progress = progress;
  }

  /** Checks the inputs (shapes, finite features, the split, the ncsnr) before anything runs. */
  public static FitPipeline of(FitSettings s) {
    Path featuresFile = s.features();
    Path responsesFile = s.responses();
    NpyHeader fh = Npy.readHeader(featuresFile);
    NpyHeader rh = Inputs.matrix(responsesFile, "images x voxels");
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
    int v = rh.cols();
    if (p < 1 || v < 1) {
      throw new InvalidInputException((p < 1 ? featuresFile : responsesFile).getFileName()
          + ": expected at least one column");
    }
    new Matrix(n, p, Npy.readMatrix(featuresFile)).requireFinite(featuresFile.getFileName().toString(), "features", 0);
    SplitSpec split = s.split();
    if (s.testIndex() != null) {
      split = split.withTestIndex(Npy.readLongVector(s.testIndex()), s.testIndex().getFileName().toString());
    }
    if (s.valIndex() != null) {
      split = split.withValIndex(Npy.readLongVector(s.valIndex()), s.valIndex().getFileName().toString());
    }
    DataSplit rows = split.toSplit(n);
    if (s.ncsnr() != null) {
      Inputs.ncsnr(s.ncsnr(), v, responsesFile);
    }
    return new FitPipeline(s, split, n, p, v, rows, Progress.quiet());
  }

  /** Where the fit (and the bootstrap) report progress. */
  public FitPipeline withProgress(Progress p) {
    return new FitPipeline(settings, split, images, features, voxels, rows, p);
  }

  public static Summary run(PipelineOptions options, FitSettings s, Progress progress) {
    return PipelineRuns.toDirectory(options, s.out(), of(s).withProgress(progress));
  }

  @Override
  public List<Path> inputs() {
    List<Path> in = new ArrayList<>(List.of(settings.features(), settings.responses()));
    for (Path p : new Path[] {settings.testIndex(), settings.valIndex(), settings.ncsnr()}) {
      if (p != null) {
        in.add(p);
      }
    }
    return in;
  }

  @Override
  public Outputs expand(StageGraph graph, Path out) {
    long[] testIndex = new long[rows.testRows().length];
    for (int i = 0; i < testIndex.length; i++) {
      testIndex[i] = rows.testRows()[i];
    }
    Npy.writeLongVector(out.resolve(TEST_INDEX), testIndex);
    NpyRanges.createMatrix(out.resolve(WEIGHTS), features, voxels, Npy.DType.FLOAT64);
    NpyRanges.createMatrix(out.resolve(PRED_TEST), testIndex.length, voxels, Npy.DType.FLOAT64);
    for (String v : List.of(BIAS, INTERCEPT, ALPHA, R2, R)) {
      NpyRanges.createVector(out.resolve(v), voxels);
    }
    try {
      Files.createDirectories(out.resolve(PARTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Pipeline pipeline = graph.pipeline();
    PCollection<Matrix> featuresPc = pipeline.apply("Read features",
        ReadNpyMatrix.from(settings.features().toString()).waitFor(graph.inputsWritten()));
    // Each worker reads the block it fits and writes its columns in place; only the voxel range leaves the step, and
    // the steps after it read what they need back by range, so memory stays flat in the number of voxels.
    PCollection<KV<Long, Integer>> written = pipeline
        .apply("Fit", FitEncodingModels.withFeatures(featuresPc).withSplit(split).withAlphas(settings.alphas())
            .withTotalVoxels(voxels).withProgress(progress).fromFile(settings.responses().toString(),
                settings.voxelsPerBlock()).waitFor(graph.inputsWritten()).writingTo(new WriteFitArrays(out.toString())));
    ToEncodingModels records = ToEncodingModels.create();
    PCollection<VoxelValues> p = null;
    PCollection<VoxelValues> q = null;
    if (settings.significance() != null) {
      PredictionSource predictions = PredictionSource.testRowsOf(out.resolve(PRED_TEST).toString(),
          settings.responses().toString(), rows.testRows());
      SignificancePipeline.Outputs sig = SignificancePipeline.testAndAdjust(graph, written, predictions,
          settings.significance(), voxels, progress, null, out);
      p = sig.p();
      q = sig.q();
      records = records.withSignificance(p.apply("p by voxel", GatherVoxelValues.asView()),
          q.apply("q by voxel", GatherVoxelValues.asView()), settings.significance().q());
    }
    PCollection<VoxelValues> nc = null;
    if (settings.ncsnr() != null) {
      NpyRanges.createVector(out.resolve(NOISE_CEILING), voxels);
      nc = graph.begin("ncsnr", Create.of(settings.ncsnr().toString()))
          .apply("ncsnr blocks", ParDo.of(WriteNpy.vectorBlocks(settings.voxelsPerBlock())))
          .setCoder(VoxelValues.Coder.of())
          .apply("Noise ceiling", ComputeNoiseCeiling.of(settings.trials()));
      graph.wrote(nc.apply("Write noise ceiling", ParDo.of(WriteNpy.values(out.resolve(NOISE_CEILING)))));
      records = records.withNoiseCeiling(nc.apply("NC by voxel", GatherVoxelValues.asView()));
    }
    graph.wrote(written.apply("Write models", ParDo.of(new WriteModelsPart(out.toString(), records.recordMaker()))
        .withSideInputs(records.sideInputs())));
    return new Outputs(written, p, q, nc);
  }

  @Override
  public Summary finish(Path out) {
    int significant = -1;
    if (settings.significance() != null) {
      significant = SignificancePipeline.writeSignificant(Npy.readVector(out.resolve(Q)),
          settings.significance().q(), out);
    }
    List<Path> partFiles = new ArrayList<>();
    for (var range : ReadVoxelBlocks.ranges(voxels, settings.voxelsPerBlock())) {
      partFiles.add(out.resolve(PARTS).resolve(partName(range.getKey())));
    }
    AvroParts.merge(partFiles, EncodingModel.getClassSchema(), out.resolve(MODELS));
    try {
      Files.delete(out.resolve(PARTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double[] r2 = Npy.readVector(out.resolve(R2));
    return new Summary(images, features, voxels, rows.trainRows().length, rows.testRows().length,
        Summaries.countNaN(r2), Summaries.median(r2), significant);
  }

  static String partName(long firstVoxel) {
    return String.format("part-%012d.avro", firstVoxel);
  }

  /** Writes a fitted block's columns and values in place into the staged output files, where it was fitted. */
  static final class WriteFitArrays implements FitEncodingModels.BlockSink {
    private static final long serialVersionUID = 1L;
    private final String dir;

    WriteFitArrays(String dir) {
      this.dir = dir;
    }

    @Override
    public void write(RidgeBlockResult b) {
      Path d = Path.of(dir);
      int first = (int) b.firstVoxel();
      NpyRanges.writeColumns(d.resolve(WEIGHTS), first, b.weights().data(), b.voxels());
      NpyRanges.writeColumns(d.resolve(PRED_TEST), first, b.testPredictions().data(), b.voxels());
      NpyRanges.writeVector(d.resolve(BIAS), first, b.bias());
      NpyRanges.writeVector(d.resolve(INTERCEPT), first, b.intercept());
      if (first == 0) {
        // The training rows' feature means are the same for every block: the first block writes them.
        Npy.writeVector(d.resolve(FEATURE_MEAN), b.featureMean(), Npy.DType.FLOAT64);
      }
      NpyRanges.writeVector(d.resolve(ALPHA), first, b.alpha());
      NpyRanges.writeVector(d.resolve(R2), first, b.r2());
      NpyRanges.writeVector(d.resolve(R), first, b.r());
    }
  }

  /**
   * Writes a written voxel range's Avro part: the record fields read back from the arrays just written (so no fitted
   * block waits in memory for the p- and q-values of all voxels), with the side values.
   */
  static final class WriteModelsPart extends DoFn<KV<Long, Integer>, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;
    private final ToEncodingModels.RecordMaker records;

    WriteModelsPart(String dir, ToEncodingModels.RecordMaker records) {
      this.dir = dir;
      this.records = records;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Path d = Path.of(dir);
      long first = c.element().getKey();
      int count = c.element().getValue();
      Matrix w = ReadVoxelBlocks.columns(d.resolve(WEIGHTS).toString(), first, count);
      RidgeBlockResult b = new RidgeBlockResult(first, w, Npy.readVectorRange(d.resolve(BIAS), first, count),
          Npy.readVectorRange(d.resolve(INTERCEPT), first, count), null,
          Npy.readVectorRange(d.resolve(ALPHA), first, count), null, null, null,
          Npy.readVectorRange(d.resolve(R2), first, count), Npy.readVectorRange(d.resolve(R), first, count));
      AvroParts.writePart(d.resolve(PARTS).resolve(partName(first)), EncodingModel.getClassSchema(),
          records.records(b, c));
    }
  }
}
