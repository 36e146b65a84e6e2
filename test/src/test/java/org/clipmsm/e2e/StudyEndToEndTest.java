package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.clipmsm.beam.Progress;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.io.Csv;
import org.clipmsm.pipelines.output.Manifest;
import org.clipmsm.pipelines.study.Study;
import org.clipmsm.pipelines.study.StudyDataset;
import org.clipmsm.pipelines.study.StudySettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-command studies as a user runs them, on small synthetic roots of two subjects each: {@code nsd} (with a
 * Broden set, so Network Dissection runs too) and {@code nod}, each on DirectRunner and on FlinkRunner, whose run
 * directories must be byte-identical file for file (the report's figures included).
 */
class StudyEndToEndTest {
  @TempDir
  static Path tmp;
  static Path labels;

  @BeforeAll
  static void data() throws IOException {
    labels = Files.writeString(tmp.resolve("labels.txt"), "faces\nbodies\nplaces\nwords\nfood\n");
    ok("synth", "nsd", "--out", tmp.resolve("nsd").toString(), "--subjects", "1,2", "--images", "250", "--voxels",
        "60", "--grid", "12,14,10", "--image-size", "32");
    ok("synth", "nod", "--out", tmp.resolve("nod").toString(), "--subjects", "1,2", "--images", "100",
        "--image-size", "32");
    ok("synth", "broden", "--out", tmp.resolve("broden").toString(), "--images", "12", "--image-size", "64",
        "--segmentation-size", "32");
  }

  static Cli ok(String... args) {
    Cli r = Cli.run(args);
    assertEquals(0, r.status, r.toString());
    return r;
  }

  static String[] nsd(Path out, String... runner) {
    return concat(new String[] {"nsd", "--nsd-root", tmp.resolve("nsd").toString(), "--subjects", "1,2", "--labels",
        labels.toString(), "--model", "tiny-clip", "--broden", tmp.resolve("broden").toString(), "--rois",
        "floc-faces,floc-bodies,floc-places,floc-words," + tmp.resolve("nsd/masks/{subject}/food.nii.gz"),
        "--out", out.toString()}, runner);
  }

  static String[] nod(Path out, String... runner) {
    return concat(new String[] {"nod", "--nod-root", tmp.resolve("nod").toString(), "--subjects", "1,2", "--labels",
        labels.toString(), "--model", "tiny-clip", "--out", out.toString()}, runner);
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void nsdOnBothRunnersWritesTheSameStudy() throws IOException {
    // The same leaf name, which the report's title shows.
    Path direct = tmp.resolve("direct/nsd");
    Cli d = ok(nsd(direct, "--parallelism", "2"));
    Path flink = tmp.resolve("flink/nsd");
    ok(nsd(flink, "--runner", "FlinkRunner", "--parallelism", "2"));
    assertSameTree(direct, flink);
    for (String subject : List.of("subj01", "subj02")) {
      for (String f : List.of("prepared/responses.npy", "features/clip/embeddings.npy", "P.npy", "fit/clip/r2.npy",
          "fit/clip/significant.npy", "fit/clip/noise_ceiling.npy", "dissect/union/msm.npy",
          "dissect/floc-faces/msm.npy", "dissect/food/msm.npy", "netdissect/netdissect.csv", "space.nii.gz",
          "food_images.csv")) {
        assertTrue(Files.isRegularFile(direct.resolve(subject).resolve(f)), subject + "/" + f);
      }
    }
    for (String f : List.of("labels.txt", "models.txt", "text.npy", "concepts.txt", "concepts_text.npy",
        "evaluation/fig3_ttest.csv", "evaluation/fig6_ttest.csv", "report/index.html")) {
      assertTrue(Files.isRegularFile(direct.resolve(f)), f);
    }
    Csv.Table t = Csv.read(direct.resolve("evaluation/fig6_ttest.csv"));
    assertEquals(5, t.size());
    for (int i = 0; i < t.size(); i++) {
      assertEquals("2", t.get(i, t.column("subjects")), "each label over both subjects");
    }
    assertTrue(d.out.contains("nsd: subj02:"), d.out);
    assertTrue(d.err.contains("jobs of 2 subject(s) in one pipeline"), d.err);
  }

  @Test
  void nodOnBothRunnersWritesTheSameStudy() throws IOException {
    Path direct = tmp.resolve("direct/nod");
    ok(nod(direct));
    Path flink = tmp.resolve("flink/nod");
    ok(nod(flink, "--runner", "FlinkRunner", "--parallelism", "2"));
    assertSameTree(direct, flink);
    for (String subject : List.of("sub-01", "sub-02")) {
      assertTrue(Files.isRegularFile(direct.resolve(subject).resolve("dissect/union/msm.npy")), subject);
      assertTrue(Files.isRegularFile(direct.resolve(subject).resolve("space.dlabel.nii")), subject);
    }
    assertTrue(Files.isRegularFile(direct.resolve("report/index.html")));
  }

  @Test
  void theStudyIsOneBeamPipelineAndItsFitIsTheFitCommands() throws IOException {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(CountingRunner.class);
    options.as(DirectOptions.class).setTargetParallelism(2);
    Path out = tmp.resolve("counted/nsd");
    CountingRunner.PIPELINES.clear();
    Study.run(options, StudySettings.of(StudyDataset.NSD, tmp.resolve("nsd"), List.of(1, 2), labels,
        ModelRef.of("tiny-clip"), out).withRois(List.of("floc-faces", "floc-words")), Progress.quiet());
    assertEquals(1, CountingRunner.PIPELINES.size(), "pipelines run: " + CountingRunner.PIPELINES);
    Set<String> jobs = CountingRunner.PIPELINES.get(0);
    for (String job : List.of("subj01 prepare", "subj02 prepare", "embed clip", "labels", "subj01 features clip",
        "subj02 P", "subj01 fit clip", "subj02 fit clip", "subj01 dissect", "subj02 dissect")) {
      assertTrue(jobs.contains(job), job + " in " + jobs);
    }
    // The study's fit, whose reads waited for prepare's and the features' writes in the same pipeline, equals the fit
    // command run alone on the files they wrote.
    Path subject = out.resolve("subj01");
    Path alone = tmp.resolve("counted/fit-alone");
    ok("fit", "--features", subject.resolve("features/clip/embeddings.npy").toString(), "--responses",
        subject.resolve("prepared/responses.npy").toString(), "--significance", "--out", alone.toString());
    for (String f : List.of("weights.npy", "r2.npy", "q.npy", "pred_test.npy")) {
      assertArrayEquals(Files.readAllBytes(alone.resolve(f)), Files.readAllBytes(subject.resolve("fit/clip").resolve(f)),
          f);
    }
  }

  /** DirectRunner, counting the pipelines run and naming each one's top-level steps (the study's jobs). */
  public static final class CountingRunner extends PipelineRunner<PipelineResult> {
    static final List<Set<String>> PIPELINES = new CopyOnWriteArrayList<>();
    private final PipelineOptions options;

    private CountingRunner(PipelineOptions options) {
      this.options = options;
    }

    public static CountingRunner fromOptions(PipelineOptions options) {
      return new CountingRunner(options);
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      Set<String> top = new TreeSet<>();
      pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
        @Override
        public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
          if (!node.isRootNode() && node.getEnclosingNode().isRootNode()) {
            top.add(node.getFullName());
          }
          return CompositeBehavior.ENTER_TRANSFORM;
        }
      });
      PIPELINES.add(top);
      return DirectRunner.fromOptions(options).run(pipeline);
    }
  }

  /**
   * Every file of one tree is in the other with the same bytes, and no other; the manifests, which name each run's
   * runner and command line, record the same output digests.
   */
  static void assertSameTree(Path a, Path b) throws IOException {
    List<Path> fa = files(a);
    List<Path> fb = files(b);
    assertEquals(fa, fb, "the same files");
    for (Path f : fa) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
    }
    Manifest.Contents ma = Manifest.read(a.resolve(Manifest.FILE));
    assertEquals(ma.outputs(), Manifest.read(b.resolve(Manifest.FILE)).outputs());
    assertEquals(ma.outputs().size(), fa.size() - 1, "every output in the manifest (all but the marker)");
  }

  /** The files of a result, without its manifest. */
  static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).filter(p -> !p.equals(Path.of(Manifest.FILE)))
          .sorted().toList();
    }
  }
}
