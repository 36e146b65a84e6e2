package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.beam.Progress;
import org.clipmsm.dissect.GroundTruthCorrelation;
import org.clipmsm.dissect.SemanticMaps;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.stats.AveragedTrials;
import org.clipmsm.synth.Category;
import org.clipmsm.synth.NsdSynth;

/**
 * The whole method on a synthetic NSD subject with a planted answer, each step a pipeline called in Java: synthetic
 * subject, prepare, image embeddings of the stimuli (the shipped tiny CLIP unless told otherwise), ordered as the
 * responses, label embeddings, P, the encoding model with significance and noise ceiling, the dissection and CLIP-MSM
 * maps, the maps as a NIfTI volume; then each label's CLIP-MSM map and CLIP-Dissect one-hot map compared with the
 * planted tuning across voxels (the paper's Fig. 6 measure), also at softmax temperatures 3, 10 and 30, into
 * {@code comparison.csv}. The result directory is staged as a whole.
 */
public final class DemoStudy {
  /** Temperatures besides the method's 1 at which comparison.csv also scores the CLIP-MSM maps. */
  public static final double[] TEMPERATURES = {3, 10, 30};
  /** The synthetic volume: large enough for 500 ROI voxels with room around them. */
  private static final int[] GRID = {24, 28, 20};

  private DemoStudy() {}

  /**
   * What the demo found: r per label of the CLIP-MSM and one-hot maps with the planted tuning, the mean CLIP-MSM r
   * at each of {@link #TEMPERATURES}, the median top-label weight of the maps, and the encoding model's numbers.
   */
  public record Summary(List<String> labels, double[] rMsm, double[] rOneHot, double[] meanRAtTemperature,
      double medianTopWeight, int voxels, int significant, double meanR2Percent, double meanNoiseCeiling,
      Path maps) {}

  public static Summary run(PipelineOptions options, DemoSettings s, Progress progress) {
    try (OutputDirectory out = OutputDirectory.open(s.out())) {
      Summary summary = steps(options, s, out.dir(), progress);
      out.commit();
      return new Summary(summary.labels(), summary.rMsm(), summary.rOneHot(), summary.meanRAtTemperature(),
          summary.medianTopWeight(), summary.voxels(), summary.significant(), summary.meanR2Percent(),
          summary.meanNoiseCeiling(), s.out().resolve("msm.nii.gz"));
    }
  }

  private static Summary steps(PipelineOptions options, DemoSettings s, Path dir, Progress progress) {
    List<String> labels = Arrays.stream(Category.values()).map(Category::label).toList();
    Path nsd = dir.resolve("nsd");
    Path prepared = dir.resolve("prepared");
    Path labelFile = dir.resolve("labels.txt");
    Path features = dir.resolve("features/embeddings.npy");
    try {
      Files.writeString(labelFile, String.join("\n", labels) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SynthJob.nsd(new NsdSynth.Spec(s.seed(), 1, s.images(), s.images() * 3 / 750, s.voxels(), GRID, s.imageSize()),
        nsd);
    progress.note("demo", "synthetic NSD subject: " + s.images() + " images, " + s.voxels() + " ROI voxels");
    List<String> rois = new ArrayList<>(PrepareNsdSettings.FLOC_ROIS);
    rois.add(nsd.resolve("masks/food.nii.gz").toString());
    PrepareNsdPipeline.Summary prep = PrepareNsdPipeline.run(options, PrepareNsdSettings.of(nsd, prepared)
        .withRois(rois), progress);
    progress.note("demo", "prepare nsd: " + prep.images() + " images x " + prep.voxels() + " voxels");
    EmbedPipeline.Summary emb = EmbedPipeline.run(options, EmbedSettings.of(nsd, s.model(), dir.resolve("embed")),
        progress);
    EmbedFeaturesPipeline.run(options, EmbedFeaturesSettings.of(dir.resolve("embed/embeddings.npy"),
        dir.resolve("embed/keys.csv"), dir.resolve("features")).withKeyColumn("key")
        .withOrder(prepared.resolve("image_keys.csv"), "nsdId"));
    progress.note("demo", "embed: " + emb.embedded() + " images, embeddings " + Arrays.toString(emb.shape())
        + ", ordered as the responses");
    EmbedTextPipeline.run(options, EmbedTextSettings.of(labelFile, s.model(), dir.resolve("text.npy")));
    SimilaritiesJob.run(new SimilaritiesJob.Settings(features, dir.resolve("text.npy"), dir.resolve("P.npy")));
    progress.note("demo", "embed-text and similarities: " + labels.size() + " labels");
    FitPipeline.Summary fit = FitPipeline.run(options, FitSettings.of(features, prepared.resolve("responses.npy"),
        dir.resolve("fit")).withSignificance(SignificanceTest.DEFAULTS)
        .withNoiseCeiling(prepared.resolve("ncsnr.npy"), AveragedTrials.of(3)), progress);
    progress.note("demo", "fit: median test R^2 " + String.format("%.4f", fit.medianR2()) + ", " + fit.significant()
        + " of " + fit.voxels() + " voxels significant");
    DissectPipeline.Summary dis = DissectPipeline.run(options, DissectSettings.fromEmbeddings(dir.resolve("P.npy"),
        features, dir.resolve("fit/weights.npy"), dir.resolve("dissect")).withLabels(labelFile), progress);
    progress.note("demo", "dissect: most voxels labelled " + dis.winners().get(0));
    MapJob.run(new MapJob.Settings(dir.resolve("dissect/msm.npy"), prepared.resolve("voxels.csv"),
        nsd.resolve("nsddata/ppdata/subj01/func1pt8mm/brainmask.nii.gz"), labels, dir.resolve("msm.nii.gz")));
    return compare(dir, nsd, prepared, labels);
  }

  /**
   * Per label, r across the ROI voxels between the CLIP-MSM map (and the CLIP-Dissect one-hot) and the planted
   * tuning; the voxels of prepare's voxels.csv are matched to the truth's by their linear index.
   */
  private static Summary compare(Path dir, Path nsd, Path prepared, List<String> labelNames) {
    Matrix msm = matrix(dir.resolve("dissect/msm.npy"));
    int[] argmax = Arrays.stream(Npy.readLongVector(dir.resolve("dissect/argmax.npy"))).mapToInt(x -> (int) x)
        .toArray();
    Matrix tuning = matrix(nsd.resolve("truth/tuning.npy"));
    long[] truthVoxels = Npy.readLongVector(nsd.resolve("truth/voxels.npy"));
    Map<Long, Integer> truthRow = new HashMap<>();
    for (int i = 0; i < truthVoxels.length; i++) {
      truthRow.put(truthVoxels[i], i);
    }
    Csv.Table voxelsCsv = Csv.read(prepared.resolve("voxels.csv"));
    int voxelColumn = voxelsCsv.column("voxel");
    int v = voxelsCsv.size();
    int labels = tuning.cols();
    Matrix truth = Matrix.zeros(v, labels);
    for (int j = 0; j < v; j++) {
      long lin = voxelsCsv.getLong(j, voxelColumn);
      Integer t = truthRow.get(lin);
      if (t == null) {
        throw new IllegalStateException("voxel " + lin + " of voxels.csv has no planted tuning");
      }
      for (int d = 0; d < labels; d++) {
        truth.set(j, d, tuning.get(t, d));
      }
    }
    GroundTruthCorrelation r = GroundTruthCorrelation.of(msm, argmax, truth);
    // The same maps at other temperatures (dissect's temperature), from the saved scores: does grading help?
    Matrix scores = matrix(dir.resolve("dissect/scores.npy"));
    GroundTruthCorrelation[] graded = new GroundTruthCorrelation[TEMPERATURES.length];
    double[] meanGraded = new double[TEMPERATURES.length];
    for (int t = 0; t < TEMPERATURES.length; t++) {
      graded[t] = GroundTruthCorrelation.of(softmaxRows(scores, TEMPERATURES[t]), argmax, truth);
      meanGraded[t] = Arrays.stream(graded[t].msm()).average().orElse(Double.NaN);
    }
    List<String> header = new ArrayList<>(List.of("label", "r_msm", "r_onehot"));
    for (double t : TEMPERATURES) {
      header.add("r_msm_T" + (int) t);
    }
    try (CSVPrinter w = Csv.printer(dir.resolve("comparison.csv"), header.toArray(String[]::new))) {
      for (int d = 0; d < labels; d++) {
        List<Object> row = new ArrayList<>(List.of(labelNames.get(d), r.msm()[d], r.oneHot()[d]));
        for (GroundTruthCorrelation g : graded) {
          row.add(g.msm()[d]);
        }
        w.printRecord(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double[] top = new double[v];
    for (int j = 0; j < v; j++) {
      for (int d = 0; d < labels; d++) {
        top[j] = Math.max(top[j], msm.get(j, d));
      }
    }
    Arrays.sort(top);
    double[] r2 = Npy.readVector(dir.resolve("fit/r2.npy"));
    double[] nc = Npy.readVector(dir.resolve("fit/noise_ceiling.npy"));
    boolean[] sig = Npy.readBoolVector(dir.resolve("fit/significant.npy"));
    int nsig = 0;
    double meanR2 = 0;
    double meanNc = 0;
    for (int j = 0; j < r2.length; j++) {
      nsig += sig[j] ? 1 : 0;
      meanR2 += 100 * r2[j] / r2.length;
      meanNc += nc[j] / r2.length;
    }
    return new Summary(labelNames, r.msm(), r.oneHot(), meanGraded, top[v / 2], r2.length, nsig, meanR2, meanNc,
        null);
  }

  /** Softmax over labels of each voxel's scores / T, as the dissection with that temperature writes msm.npy. */
  private static Matrix softmaxRows(Matrix scores, double temperature) {
    int v = scores.rows();
    int labels = scores.cols();
    double[] rowMajor = new double[v * labels];
    for (int j = 0; j < v; j++) {
      for (int d = 0; d < labels; d++) {
        rowMajor[j * labels + d] = scores.get(j, d);
      }
    }
    double[] p = SemanticMaps.softmax(rowMajor, v, labels, temperature);
    Matrix out = Matrix.zeros(v, labels);
    for (int j = 0; j < v; j++) {
      for (int d = 0; d < labels; d++) {
        out.set(j, d, p[j * labels + d]);
      }
    }
    return out;
  }

  private static Matrix matrix(Path f) {
    NpyHeader h = Npy.readHeader(f);
    return new Matrix(h.rows(), h.cols(), Npy.readMatrix(f));
  }
}
