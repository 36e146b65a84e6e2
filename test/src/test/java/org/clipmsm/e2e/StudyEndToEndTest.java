package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.clipmsm.io.Csv;
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
    assertTrue(d.err.contains("clipmsm nsd dissect: 2 job(s) in one pipeline"), "one pipeline per stage: " + d.err);
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

  /** Every file of one tree is in the other with the same bytes, and no other. */
  static void assertSameTree(Path a, Path b) throws IOException {
    List<Path> fa = files(a);
    List<Path> fb = files(b);
    assertEquals(fa, fb, "the same files");
    for (Path f : fa) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
    }
  }

  static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
