package org.clipmsm.pipelines.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.Progress;
import org.clipmsm.broden.BrodenSet;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.LabelSet;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.pipelines.DissectPipeline;
import org.clipmsm.pipelines.DissectSettings;
import org.clipmsm.pipelines.EmbedFeaturesPipeline;
import org.clipmsm.pipelines.EmbedFeaturesSettings;
import org.clipmsm.pipelines.EmbedPipeline;
import org.clipmsm.pipelines.EmbedSettings;
import org.clipmsm.pipelines.EmbedTextPipeline;
import org.clipmsm.pipelines.EmbedTextSettings;
import org.clipmsm.pipelines.FitPipeline;
import org.clipmsm.pipelines.FitSettings;
import org.clipmsm.pipelines.NetDissectPipeline;
import org.clipmsm.pipelines.NetDissectSettings;
import org.clipmsm.pipelines.PipelineRuns;
import org.clipmsm.pipelines.SignificanceTest;
import org.clipmsm.pipelines.SimilaritiesJob;
import org.clipmsm.pipelines.StagedPipeline;
import org.clipmsm.pipelines.evaluate.EvaluateJob;
import org.clipmsm.pipelines.evaluate.EvaluateSettings;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.pipelines.report.ReportJob;
import org.clipmsm.pipelines.report.ReportSettings;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.stats.AveragedTrials;
import org.clipmsm.stimuli.ImageRef;

/**
 * A whole study on NSD or NOD: every subject from the dataset's files to the paper's evaluation and the report, laid
 * out as a run directory (docs/evaluation.md §1). Each stage is one Beam pipeline over all subjects (and models) at
 * once ({@link StudyStage}): prepare; image embeddings of the images any subject saw, once per model; each subject's
 * features in its responses' order; label embeddings and P; encoding models with significance and noise ceiling (and
 * the learning curve); the dissection per ROI and their union; with a Broden set, its dense features and Network
 * Dissection; then {@code evaluate} and {@code report} on the driver. Stages follow one another because each reads the
 * files the previous wrote. The whole directory is staged and committed at the end: a failed study leaves {@code out}
 * as it was.
 *
 * <pre>{@code
 * Study.Summary s = Study.run(options, StudySettings.of(StudyDataset.NSD, Path.of("nsd"), List.of(1, 2, 5, 7),
 *     Path.of("labels.txt"), ModelRef.of("tiny-clip"), Path.of("study")), Progress.lines("my-study"));
 * }</pre>
 */
public final class Study {
  /** The name of the dissected CLIP model in models.txt and under fit/. */
  public static final String CLIP = "clip";
  /**
   * A synthetic scene holds food when food covers at least this share of it, the share from which the tiny CLIP's
   * training captions name a category (tools/tiny_clip/train.py, PRESENT).
   */
  static final double FOOD_PRESENT = 0.08;
  private static final int TRIALS_PER_IMAGE = 3;

  private Study() {}

  /** Per subject: images, voxels, the CLIP model's median test R^2 and significant voxels, the commonest top label. */
  public record SubjectSummary(String subject, int images, int voxels, double medianR2, int significant,
      String topLabel) {}

  /** What the study produced. */
  public record Summary(Path out, List<SubjectSummary> subjects, EvaluateJob.Summary evaluation, Path report) {}

  public static Summary run(PipelineOptions options, StudySettings s, Progress progress) {
    List<String> labels = LabelSet.read(s.labels());
    BrodenSet probes = s.broden() == null ? null : NetDissectPipeline.probeSet(s.broden(), List.of());
    List<Path> inputs = new ArrayList<>(List.of(s.root(), s.labels()));
    if (s.broden() != null) {
      inputs.add(s.broden());
    }
    try (OutputDirectory dir = OutputDirectory.open(s.out(), inputs)) {
      Summary r = new Run(options, s, dir.dir(), labels, probes, progress).all();
      dir.commit();
      return new Summary(s.out(), r.subjects(), r.evaluation(), s.out().resolve(ReportSettings.REPORT)
          .resolve(ReportJob.INDEX));
    } finally {
      ModelPool.release(s.model());
      s.featureModels().forEach(ModelPool::release);
    }
  }

  /** One run of the stages into the staged directory. */
  private static final class Run {
    final PipelineOptions options;
    final StudySettings s;
    final Path run;
    final List<String> labels;
    /** The Broden probe set, opened and checked once for every subject's Network Dissection; or null. */
    final BrodenSet probes;
    final Progress progress;
    /** Model name (models.txt) -> model, the CLIP model first. */
    final Map<String, ModelRef> models = new LinkedHashMap<>();
    final List<String> subjects = new ArrayList<>();

    Run(PipelineOptions options, StudySettings s, Path run, List<String> labels, BrodenSet probes,
        Progress progress) {
      this.options = options;
      this.s = s;
      this.run = run;
      this.labels = labels;
      this.probes = probes;
      this.progress = progress;
      models.put(CLIP, s.model());
      for (ModelRef m : s.featureModels()) {
        String name = m.toString().replaceAll(".*[/\\\\]", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        String unique = name;
        for (int k = 2; models.containsKey(unique); k++) {
          unique = name + "-" + k;
        }
        models.put(unique, m);
      }
      for (int n : s.subjects()) {
        subjects.add(s.dataset().subjectDir(n));
      }
    }

    Path subject(int i) {
      return run.resolve(subjects.get(i));
    }

    Summary all() {
      write(run.resolve("labels.txt"), String.join("\n", labels) + "\n");
      write(run.resolve("models.txt"), String.join("\n", models.keySet()) + "\n");
      prepare();
      Map<String, Path> embedded = embed();
      order(embedded);
      text();
      List<FitPipeline.Summary> fits = fit();
      List<DissectPipeline.Summary> dissections = dissect();
      if (probes != null) {
        netdissect();
      }
      spaceAndFood();
      long t0 = System.nanoTime();
      EvaluateJob.Summary evaluation = EvaluateJob.run(EvaluateSettings.of(run));
      progress.note("evaluate", evaluation.files().size() + " tables in " + seconds(t0));
      long t1 = System.nanoTime();
      ReportJob.Summary report = ReportJob.run(ReportSettings.of(run).withName(s.out().toAbsolutePath().normalize()
          .getFileName().toString()));
      progress.note("report", report.images() + " figures, " + report.tables() + " tables in " + seconds(t1));
      List<SubjectSummary> out = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        FitPipeline.Summary f = fits.get(i * models.size());
        DissectPipeline.Summary d = dissections.get(i);
        out.add(new SubjectSummary(subjects.get(i), f.images(), f.voxels(), f.medianR2(), f.significant(),
            d.winners().isEmpty() ? "" : d.winners().get(d.winners().size() - 1)));
      }
      return new Summary(run, out, evaluation, null);
    }

    void prepare() {
      List<StudyStage.Job<Object>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        jobs.add(job(subjects.get(i) + " prepare", s.dataset().prepare(s, s.subjects().get(i),
            subject(i).resolve("prepared")), subject(i).resolve("prepared")));
      }
      StudyStage.run(options, "prepare", jobs, progress);
      // The dissection scores each voxel by its top images: a subject with fewer cannot be dissected, and the study
      // says so now rather than after the embeddings and fits.
      int topK = Dissection.softWpmi().topK();
      for (int i = 0; i < subjects.size(); i++) {
        int images = Npy.readHeader(subject(i).resolve("prepared/responses.npy")).rows();
        if (images < topK) {
          throw new InvalidInputException(s.root() + ": subject " + subjects.get(i) + " has " + images + " images,"
              + " fewer than the " + topK + " top images per voxel that the dissection scores (SoftWPMI's top_k;"
              + " expected at least " + topK + " images per subject)");
        }
      }
    }

    /** The images any subject saw, embedded once by each model; returns each model's directory. */
    Map<String, Path> embed() {
      Set<String> keys = new TreeSet<>();
      for (int i = 0; i < subjects.size(); i++) {
        keys.addAll(imageKeys(i));
      }
      List<ImageRef> refs = s.dataset().stimuli(s.root(), keys);
      Map<String, Path> dirs = new LinkedHashMap<>();
      List<StudyStage.Job<EmbedPipeline.Summary>> jobs = new ArrayList<>();
      for (Map.Entry<String, ModelRef> m : models.entrySet()) {
        Path out = run.resolve("embed").resolve(m.getKey());
        dirs.put(m.getKey(), out);
        jobs.add(new StudyStage.Job<>("embed " + m.getKey(), EmbedPipeline.ofImages(EmbedSettings.of(s.root(),
            m.getValue(), out), refs).withProgress(progress), out));
      }
      for (EmbedPipeline.Summary e : StudyStage.run(options, "embed", jobs, progress)) {
        if (!e.failures().isEmpty()) {
          throw new InvalidInputException(s.root() + ": " + e.failures().size() + " of " + e.images() + " stimuli"
              + " could not be embedded, the first: " + e.failures().get(0));
        }
      }
      return dirs;
    }

    List<String> imageKeys(int i) {
      Csv.Table t = Csv.read(subject(i).resolve("prepared/image_keys.csv"));
      int col = t.column(s.dataset().imageKeyColumn());
      List<String> keys = new ArrayList<>(t.size());
      for (int r = 0; r < t.size(); r++) {
        keys.add(t.get(r, col));
      }
      return keys;
    }

    /** Each subject's features of each model, rows in its responses' order. */
    void order(Map<String, Path> embedded) {
      List<StudyStage.Job<Object>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        for (Map.Entry<String, Path> m : embedded.entrySet()) {
          Path out = features(i, m.getKey()).getParent();
          jobs.add(job(subjects.get(i) + " features " + m.getKey(), EmbedFeaturesPipeline.of(EmbedFeaturesSettings
              .of(m.getValue().resolve(EmbedPipeline.EMBEDDINGS), m.getValue().resolve(EmbedPipeline.KEYS), out)
              .withKeyColumn("key").withOrder(subject(i).resolve("prepared/image_keys.csv"),
                  s.dataset().imageKeyColumn())), out));
        }
      }
      StudyStage.run(options, "features", jobs, progress);
    }

    Path features(int i, String model) {
      return subject(i).resolve("features").resolve(model).resolve(EmbedPipeline.EMBEDDINGS);
    }

    /** The labels' text embeddings and each subject's P. */
    void text() {
      long t0 = System.nanoTime();
      EmbedTextPipeline.run(options, EmbedTextSettings.of(s.labels(), s.model(), run.resolve("text.npy")));
      for (int i = 0; i < subjects.size(); i++) {
        SimilaritiesJob.run(new SimilaritiesJob.Settings(features(i, CLIP), run.resolve("text.npy"),
            subject(i).resolve("P.npy")));
      }
      progress.note("labels", labels.size() + " labels embedded, P of " + subjects.size() + " subject(s) in "
          + seconds(t0));
    }

    /** Every subject's encoding models, one per model, with the learning curve's; in subject, then model order. */
    List<FitPipeline.Summary> fit() {
      List<StudyStage.Job<FitPipeline.Summary>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        Path prepared = subject(i).resolve("prepared");
        for (String m : models.keySet()) {
          Path out = subject(i).resolve("fit").resolve(m);
          FitSettings f = FitSettings.of(features(i, m), prepared.resolve("responses.npy"), out)
              .withSignificance(SignificanceTest.DEFAULTS).withVoxelsPerBlock(s.voxelsPerBlock());
          if (s.dataset().hasNcsnr()) {
            f = f.withNoiseCeiling(prepared.resolve("ncsnr.npy"), AveragedTrials.of(TRIALS_PER_IMAGE));
          }
          jobs.add(new StudyStage.Job<>(subjects.get(i) + " fit " + m, FitPipeline.of(f).withProgress(progress),
              out));
        }
      }
      int main = jobs.size();
      for (int i = 0; i < subjects.size(); i++) {
        for (String m : models.keySet()) {
          for (int pieces : s.learningPieces()) {
            Path out = subject(i).resolve("learning").resolve(m).resolve(Integer.toString(pieces));
            jobs.add(new StudyStage.Job<>(subjects.get(i) + " learning " + m + " " + pieces, FitPipeline.of(
                FitSettings.of(features(i, m), subject(i).resolve("prepared/responses.npy"), out)
                    .withSplit(SplitSpec.defaults().withTrainPieces(pieces))
                    .withVoxelsPerBlock(s.voxelsPerBlock())), out));
          }
        }
      }
      return StudyStage.run(options, "fit", jobs, progress).subList(0, main);
    }

    /** The dissection of each subject's CLIP encoding models: one set per ROI and their union. */
    List<DissectPipeline.Summary> dissect() {
      List<StudyStage.Job<DissectPipeline.Summary>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        Path sets = subject(i).resolve("voxel_sets.csv");
        VoxelSetsFromRois.write(subject(i).resolve("prepared/voxels.csv"), sets);
        Path out = subject(i).resolve("dissect");
        jobs.add(new StudyStage.Job<>(subjects.get(i) + " dissect", DissectPipeline.of(DissectSettings
            .fromEmbeddings(subject(i).resolve("P.npy"), features(i, CLIP), subject(i).resolve("fit").resolve(CLIP)
                .resolve(FitPipeline.WEIGHTS), out).withLabels(s.labels()).withVoxelSets(sets)
            .withVoxelsPerBlock(s.voxelsPerBlock())).withProgress(progress), out));
      }
      return StudyStage.run(options, "dissect", jobs, progress);
    }

    /**
     * The Broden set's dense features (once), its concepts' text embeddings, and Network Dissection of each
     * subject's CLIP encoding models; the dense features are deleted afterwards (6 GB for all of Broden).
     */
    void netdissect() {
      long t0 = System.nanoTime();
      Path dense = run.resolve("broden-dense");
      try {
        Files.createDirectories(dense);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      PipelineRuns.into(options, dense, EmbedPipeline.ofImages(EmbedSettings.of(s.broden(), s.model(), dense)
          .withDense(true), probes.imageRefs()).withProgress(progress));
      progress.note("netdissect", "dense features of " + probes.size() + " probe images in " + seconds(t0));
      List<StudyStage.Job<NetDissectPipeline.Summary>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        Path out = subject(i).resolve("netdissect");
        jobs.add(new StudyStage.Job<>(subjects.get(i) + " netdissect", NetDissectPipeline.of(NetDissectSettings
            .fromDense(s.broden(), dense.resolve(EmbedPipeline.EMBEDDINGS), dense.resolve(EmbedPipeline.KEYS),
                subject(i).resolve("fit").resolve(CLIP).resolve(FitPipeline.WEIGHTS), out)
            .withVoxelsPerBlock(s.voxelsPerBlock()), probes).withProgress(progress), out));
      }
      StudyStage.run(options, "netdissect", jobs, progress);
      try {
        Files.copy(subject(0).resolve("netdissect").resolve(NetDissectPipeline.CONCEPTS),
            run.resolve("concepts.txt"));
        EmbedTextPipeline.run(options, EmbedTextSettings.of(run.resolve("concepts.txt"), s.model(),
            run.resolve("concepts_text.npy")));
        try (Stream<Path> files = Files.walk(dense)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Each subject's space file and, for a synthetic dataset (truth/content.npy), its images that hold food. */
    void spaceAndFood() {
      Path content = s.root().resolve("truth/content.npy");
      Path names = s.root().resolve("truth/stimuli.txt");
      for (int i = 0; i < subjects.size(); i++) {
        try {
          Files.copy(s.dataset().space(s.root(), s.subjects().get(i)), subject(i).resolve(s.dataset().spaceName()));
          if (Files.isRegularFile(content)) {
            writeFoodImages(content, Files.isRegularFile(names) ? Files.readAllLines(names) : null, imageKeys(i),
                subject(i).resolve("food_images.csv"));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    @SuppressWarnings("unchecked")
    static StudyStage.Job<Object> job(String name, StagedPipeline<?, ?> p, Path out) {
      return new StudyStage.Job<>(name, (StagedPipeline<?, Object>) p, out);
    }
  }

  /**
   * The rows of a subject's responses whose image holds food by the synthetic truth: content row = the image's key
   * (nsdId) or, with {@code names} (NOD's truth/stimuli.txt), the key's line there.
   */
  static void writeFoodImages(Path content, List<String> names, List<String> keys, Path out) throws IOException {
    NpyHeader h = Npy.readHeader(content);
    double[] c = Npy.readMatrix(content);
    int food = org.clipmsm.synth.Category.FOOD.ordinal();
    Map<String, Integer> rowOf = new LinkedHashMap<>();
    for (int r = 0; r < h.rows(); r++) {
      rowOf.put(names != null ? names.get(r) : Integer.toString(r), r);
    }
    try (CSVPrinter w = Csv.printer(out, "row", "key")) {
      for (int r = 0; r < keys.size(); r++) {
        Integer row = rowOf.get(keys.get(r));
        if (row != null && c[row + h.rows() * food] >= FOOD_PRESENT) {
          w.printRecord(r, keys.get(r));
        }
      }
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String seconds(long t0) {
    return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
  }
}
