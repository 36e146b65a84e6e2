package org.clipmsm.pipelines.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
import org.clipmsm.pipelines.SignificanceTest;
import org.clipmsm.pipelines.SimilaritiesJob;
import org.clipmsm.pipelines.SimilaritiesPipeline;
import org.clipmsm.pipelines.evaluate.EvaluateJob;
import org.clipmsm.pipelines.evaluate.EvaluateSettings;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.pipelines.output.Trees;
import org.clipmsm.pipelines.report.ReportJob;
import org.clipmsm.pipelines.report.ReportSettings;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.stats.AveragedTrials;
import org.clipmsm.stimuli.ImageRef;

/**
 * A whole study on NSD or NOD: every subject from the dataset's files to the paper's evaluation and the report, laid
 * out as a run directory (docs/evaluation.md §1), as ONE Beam pipeline over all subjects and models
 * ({@link StudyGraph}): each subject's prepare; image embeddings of the images any subject saw, once per model; each
 * subject's features in its responses' order; the labels' text embeddings and each subject's P; encoding models with
 * significance and noise ceiling (and the learning curve); the dissection per ROI and their union; with a Broden set,
 * its dense features, Network Dissection and the concepts' text embeddings. Each job reads only once the jobs whose
 * files it reads have written them, so the runner overlaps the rest. After the run the driver finishes each job, then
 * runs {@code evaluate} and {@code report}. The whole directory is staged and committed at the end: a failed study
 * leaves {@code out} as it was.
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
    /** Each subject's image keys in its responses' order, read once after prepare's expansion wrote them. */
    final List<List<String>> imageKeys = new ArrayList<>();

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
      long t0 = System.nanoTime();
      StudyGraph graph = new StudyGraph(options);
      List<StudyGraph.Job<?>> prepared = prepare(graph);
      Map<String, StudyGraph.Job<EmbedPipeline.Summary>> embedded = embed(graph);
      List<Map<String, StudyGraph.Job<?>>> features = order(graph, embedded);
      StudyGraph.Job<?> text = graph.add("labels", EmbedTextPipeline.of(EmbedTextSettings.of(s.labels(), s.model(),
          run.resolve("text.npy"))), run.resolve("text.npy"), List.of());
      List<StudyGraph.Job<FitPipeline.Summary>> fits = fit(graph, prepared, features);
      List<StudyGraph.Job<DissectPipeline.Summary>> dissections = dissect(graph, features, text, fits);
      StudyGraph.Job<EmbedPipeline.Summary> dense = probes == null ? null : netdissect(graph, fits);
      progress.note("study", graph.size() + " jobs of " + subjects.size() + " subject(s) in one pipeline, built in "
          + seconds(t0));
      long t1 = System.nanoTime();
      graph.run();
      progress.note("study", "pipeline run and finished in " + seconds(t1));
      for (StudyGraph.Job<EmbedPipeline.Summary> e : embedded.values()) {
        failures(s.root(), e.summary());
      }
      if (dense != null) {
        failures(s.broden(), dense.summary());
        Trees.delete(dense.out);
      }
      spaceAndFood();
      long t2 = System.nanoTime();
      EvaluateJob.Summary evaluation = EvaluateJob.run(EvaluateSettings.of(run));
      progress.note("evaluate", evaluation.files().size() + " tables in " + seconds(t2));
      long t3 = System.nanoTime();
      ReportJob.Summary report = ReportJob.run(ReportSettings.of(run).withName(s.out().toAbsolutePath().normalize()
          .getFileName().toString()));
      progress.note("report", report.images() + " figures, " + report.tables() + " tables in " + seconds(t3));
      List<SubjectSummary> out = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        FitPipeline.Summary f = fits.get(i * models.size()).summary();
        DissectPipeline.Summary d = dissections.get(i).summary();
        out.add(new SubjectSummary(subjects.get(i), f.images(), f.voxels(), f.medianR2(), f.significant(),
            d.winners().isEmpty() ? "" : d.winners().get(d.winners().size() - 1)));
      }
      return new Summary(run, out, evaluation, null);
    }

    /**
     * Each subject's prepared arrays; its tables and the shape of its responses are written as the graph is built,
     * so the subjects' image counts are checked now.
     */
    List<StudyGraph.Job<?>> prepare(StudyGraph graph) {
      List<StudyGraph.Job<?>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        Path out = dir(subject(i).resolve("prepared"));
        jobs.add(graph.add(subjects.get(i) + " prepare", s.dataset().prepare(s, s.subjects().get(i), out,
            progress.within(subjects.get(i))), out, List.of()));
        imageKeys.add(readImageKeys(i));
      }
      // The dissection scores each voxel by its top images: a subject with fewer cannot be dissected, and the study
      // says so before anything runs.
      int topK = Dissection.softWpmi().topK();
      for (int i = 0; i < subjects.size(); i++) {
        int images = Npy.readHeader(subject(i).resolve("prepared/responses.npy")).rows();
        if (images < topK) {
          throw new InvalidInputException(s.root() + ": subject " + subjects.get(i) + " has " + images + " images,"
              + " fewer than the " + topK + " top images per voxel that the dissection scores (SoftWPMI's top_k;"
              + " expected at least " + topK + " images per subject)");
        }
      }
      return jobs;
    }

    /** The images any subject saw, embedded once by each model. */
    Map<String, StudyGraph.Job<EmbedPipeline.Summary>> embed(StudyGraph graph) {
      Set<String> keys = new TreeSet<>();
      for (int i = 0; i < subjects.size(); i++) {
        keys.addAll(imageKeys.get(i));
      }
      List<ImageRef> refs = s.dataset().stimuli(s.root(), keys);
      Map<String, StudyGraph.Job<EmbedPipeline.Summary>> jobs = new LinkedHashMap<>();
      for (Map.Entry<String, ModelRef> m : models.entrySet()) {
        Path out = dir(run.resolve("embed").resolve(m.getKey()));
        jobs.put(m.getKey(), graph.add("embed " + m.getKey(), EmbedPipeline.ofImages(EmbedSettings.of(s.root(),
            m.getValue(), out), refs).withProgress(progress.within(m.getKey())), out, List.of()));
      }
      return jobs;
    }

    /** Images that could not be embedded fail the study (after the run: which ones is known only then). */
    static void failures(Path root, EmbedPipeline.Summary e) {
      if (!e.failures().isEmpty()) {
        throw new InvalidInputException(root + ": " + e.failures().size() + " of " + e.images() + " images could"
            + " not be embedded, the first: " + e.failures().get(0));
      }
    }

    /** A subject's image keys, row by row: prepare's image_keys.csv, which its expansion has written. */
    List<String> readImageKeys(int i) {
      Csv.Table t = Csv.read(subject(i).resolve("prepared/image_keys.csv"));
      int col = t.column(s.dataset().imageKeyColumn());
      List<String> keys = new ArrayList<>(t.size());
      for (int r = 0; r < t.size(); r++) {
        keys.add(t.get(r, col));
      }
      return keys;
    }

    /** Each subject's features of each model, rows in its responses' order; by subject, then model name. */
    List<Map<String, StudyGraph.Job<?>>> order(StudyGraph graph,
        Map<String, StudyGraph.Job<EmbedPipeline.Summary>> embedded) {
      List<Map<String, StudyGraph.Job<?>>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        Map<String, StudyGraph.Job<?>> byModel = new LinkedHashMap<>();
        for (Map.Entry<String, StudyGraph.Job<EmbedPipeline.Summary>> m : embedded.entrySet()) {
          Path out = dir(features(i, m.getKey()).getParent());
          Path in = m.getValue().out;
          byModel.put(m.getKey(), graph.add(subjects.get(i) + " features " + m.getKey(), EmbedFeaturesPipeline.of(
              EmbedFeaturesSettings.of(in.resolve(EmbedPipeline.EMBEDDINGS), in.resolve(EmbedPipeline.KEYS), out)
                  .withKeyColumn("key").withOrder(subject(i).resolve("prepared/image_keys.csv"),
                      s.dataset().imageKeyColumn())), out, List.of(m.getValue())));
        }
        jobs.add(byModel);
      }
      return jobs;
    }

    Path features(int i, String model) {
      return subject(i).resolve("features").resolve(model).resolve(EmbedPipeline.EMBEDDINGS);
    }

    /**
     * Every subject's encoding models, one per model, in subject, then model order; then the learning curve's fits,
     * whose jobs are not returned.
     */
    List<StudyGraph.Job<FitPipeline.Summary>> fit(StudyGraph graph, List<StudyGraph.Job<?>> prepared,
        List<Map<String, StudyGraph.Job<?>>> features) {
      List<StudyGraph.Job<FitPipeline.Summary>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        Path in = subject(i).resolve("prepared");
        for (String m : models.keySet()) {
          Path out = dir(subject(i).resolve("fit").resolve(m));
          FitSettings f = FitSettings.of(features(i, m), in.resolve("responses.npy"), out)
              .withSignificance(SignificanceTest.DEFAULTS).withVoxelsPerBlock(s.voxelsPerBlock());
          if (s.dataset().hasNcsnr()) {
            f = f.withNoiseCeiling(in.resolve("ncsnr.npy"), AveragedTrials.of(TRIALS_PER_IMAGE));
          }
          jobs.add(graph.add(subjects.get(i) + " fit " + m, FitPipeline.of(f)
              .withProgress(progress.within(subjects.get(i) + " " + m)), out,
              List.of(prepared.get(i), features.get(i).get(m))));
        }
      }
      for (int i = 0; i < subjects.size(); i++) {
        for (String m : models.keySet()) {
          for (int pieces : s.learningPieces()) {
            Path out = dir(subject(i).resolve("learning").resolve(m).resolve(Integer.toString(pieces)));
            graph.add(subjects.get(i) + " learning " + m + " " + pieces, FitPipeline.of(FitSettings.of(features(i, m),
                subject(i).resolve("prepared/responses.npy"), out).withSplit(SplitSpec.defaults()
                .withTrainPieces(pieces)).withVoxelsPerBlock(s.voxelsPerBlock())), out,
                List.of(prepared.get(i), features.get(i).get(m)));
          }
        }
      }
      return jobs;
    }

    /** Each subject's P and the dissection of its CLIP encoding models: one set per ROI and their union. */
    List<StudyGraph.Job<DissectPipeline.Summary>> dissect(StudyGraph graph, List<Map<String, StudyGraph.Job<?>>>
        features, StudyGraph.Job<?> text, List<StudyGraph.Job<FitPipeline.Summary>> fits) {
      List<StudyGraph.Job<DissectPipeline.Summary>> jobs = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        StudyGraph.Job<?> clipFeatures = features.get(i).get(CLIP);
        Path p = subject(i).resolve("P.npy");
        StudyGraph.Job<?> similarities = graph.add(subjects.get(i) + " P", SimilaritiesPipeline.of(
            new SimilaritiesJob.Settings(features(i, CLIP), run.resolve("text.npy"), p)), p,
            List.of(clipFeatures, text));
        Path sets = subject(i).resolve("voxel_sets.csv");
        VoxelSetsFromRois.write(subject(i).resolve("prepared/voxels.csv"), sets);
        Path out = dir(subject(i).resolve("dissect"));
        jobs.add(graph.add(subjects.get(i) + " dissect", DissectPipeline.of(DissectSettings.fromEmbeddings(p,
                features(i, CLIP), subject(i).resolve("fit").resolve(CLIP).resolve(FitPipeline.WEIGHTS), out)
            .withLabels(s.labels()).withVoxelSets(sets).withVoxelsPerBlock(s.voxelsPerBlock()))
            .withProgress(progress.within(subjects.get(i))), out, List.of(similarities, clipFeatures,
            fits.get(i * models.size()))));
      }
      return jobs;
    }

    /**
     * The Broden set's dense features (once), Network Dissection of each subject's CLIP encoding models, and the
     * concepts' text embeddings; returns the dense features' job, whose directory goes once the study has run (6 GB
     * for all of Broden).
     */
    StudyGraph.Job<EmbedPipeline.Summary> netdissect(StudyGraph graph,
        List<StudyGraph.Job<FitPipeline.Summary>> fits) {
      Path denseDir = dir(run.resolve("broden-dense"));
      StudyGraph.Job<EmbedPipeline.Summary> dense = graph.add("broden dense", EmbedPipeline.ofImages(
          EmbedSettings.of(s.broden(), s.model(), denseDir).withDense(true), probes.imageRefs())
          .withProgress(progress.within("broden")), denseDir, List.of());
      for (int i = 0; i < subjects.size(); i++) {
        Path out = dir(subject(i).resolve("netdissect"));
        graph.add(subjects.get(i) + " netdissect", NetDissectPipeline.of(NetDissectSettings.fromDense(s.broden(),
            denseDir.resolve(EmbedPipeline.EMBEDDINGS), denseDir.resolve(EmbedPipeline.KEYS),
            subject(i).resolve("fit").resolve(CLIP).resolve(FitPipeline.WEIGHTS), out)
            .withVoxelsPerBlock(s.voxelsPerBlock()), probes).withProgress(progress.within(subjects.get(i))), out,
            List.of(dense, fits.get(i * models.size())));
      }
      try {
        Files.copy(subject(0).resolve("netdissect").resolve(NetDissectPipeline.CONCEPTS),
            run.resolve("concepts.txt"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      graph.add("concepts", EmbedTextPipeline.of(EmbedTextSettings.of(run.resolve("concepts.txt"), s.model(),
          run.resolve("concepts_text.npy"))), run.resolve("concepts_text.npy"), List.of());
      return dense;
    }

    /** Each subject's space file and, for a synthetic dataset (truth/content.npy), its images that hold food. */
    void spaceAndFood() {
      Path content = s.root().resolve("truth/content.npy");
      Path names = s.root().resolve("truth/stimuli.txt");
      for (int i = 0; i < subjects.size(); i++) {
        try {
          Files.copy(s.dataset().space(s.root(), s.subjects().get(i)), subject(i).resolve(s.dataset().spaceName()));
          if (Files.isRegularFile(content)) {
            writeFoodImages(content, Files.isRegularFile(names) ? Files.readAllLines(names) : null, imageKeys.get(i),
                subject(i).resolve("food_images.csv"));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
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

  static Path dir(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
