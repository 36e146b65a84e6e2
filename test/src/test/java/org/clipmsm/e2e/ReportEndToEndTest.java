package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.clipmsm.io.Nifti;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipmsm report} as a user runs it, on a hand-made run with every file of docs/evaluation.md §3 (two
 * subjects, three ROIs, two models, three labels, NIfTI maps), and its bad input. The report is left in
 * {@code test/target/report-e2e/run/report/} for {@code .ci/run}, which opens it in headless Chromium
 * ({@code tools/check-report}).
 */
class ReportEndToEndTest {
  static final Path RUN = Path.of("target", "report-e2e", "run");
  static final List<String> SUBJECTS = List.of("subj01", "subj02");
  static final List<String> ROIS = List.of("floc-faces", "floc-places", "all");
  static final List<String> MODELS = List.of("clip", "alexnet");
  static final List<String> LABELS = List.of("faces", "places", "food");
  static final int NX = 16;
  static final int NY = 18;
  static final int NZ = 8;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void writeRun() throws IOException {
    deleteTree(RUN.getParent());
    Files.createDirectories(RUN.resolve("evaluation"));
    Random rnd = new Random(3);
    Files.writeString(RUN.resolve("models.txt"), String.join("\n", MODELS) + "\n");
    Files.writeString(RUN.resolve("labels.txt"), String.join("\n", LABELS) + "\n");
    List<String> r2 = lines("subject,roi,model,voxels,mean_r2,median_r2,significant");
    List<String> ttest = lines("subject,roi,model_a,model_b,n,mean_a,mean_b,mean_diff,t,df,p");
    List<String> learning = lines("subject,model,train_pieces,train_images,roi,mean_r2");
    List<String> histogram = lines("subject,model,nc_from,nc_to,r2_from,r2_to,voxels");
    List<String> fig3 = lines("subject,roi,n,mean_msm,mean_netdissect,mean_diff,t,df,p");
    List<String> counts = lines("subject,set,label,name,voxels,fraction");
    List<String> probes = lines("subject,set,label,name,voxels,rank,image,mean_activation");
    List<String> r = lines("subject,label,map,voxels,r_msm,r_onehot");
    for (String s : SUBJECTS) {
      for (String roi : ROIS) {
        double a = 0.1 + 0.05 * rnd.nextDouble();
        double b = a - 0.02;
        r2.add(csv(s, roi, "clip", 200, a, a * 0.9, 150));
        r2.add(csv(s, roi, "alexnet", 200, b, b * 0.9, 120));
        ttest.add(csv(s, roi, "clip", "alexnet", 200, a, b, a - b, 6.1, 199, 4.2e-9));
        fig3.add(csv(s, roi, 200, 0.2, 0.17, 0.03, 3.3, 199, 0.0011));
        for (int l = 0; l < LABELS.size(); l++) {
          int n = 20 + rnd.nextInt(50);
          counts.add(csv(s, roi, l, LABELS.get(l), n, n / 150.0));
          for (int rank = 1; rank <= 3; rank++) {
            probes.add(csv(s, roi, l, LABELS.get(l), n, rank, rnd.nextInt(500), 1.5 / rank));
          }
        }
        for (String m : MODELS) {
          for (int pieces : new int[] {5, 10, 20, 34}) {
            double top = m.equals("clip") ? 0.15 : 0.11;
            learning.add(csv(s, m, pieces, pieces * 200, roi, top * (1 - Math.exp(-pieces / 8.0))));
          }
        }
      }
      for (String m : MODELS) {
        for (int i = 0; i < 50; i++) {
          for (int j = 0; j < 50; j++) {
            int v = j <= i && i < 30 ? rnd.nextInt(5) : 0;
            histogram.add(csv(s, m, 2 * i, 2 * i + 2, 2 * j, 2 * j + 2, v));
          }
        }
      }
      for (String label : LABELS) {
        r.add(csv(s, label, label, 200, 0.5 + 0.1 * rnd.nextDouble(), 0.3 + 0.1 * rnd.nextDouble()));
      }
    }
    List<String> rt = lines("label,subjects,mean_r_msm,mean_r_onehot,mean_diff,t,df,p");
    for (String label : LABELS) {
      rt.add(csv(label, 2, 0.55, 0.35, 0.2, 7.0, 1, 0.09));
    }
    write("fig2_r2.csv", r2);
    write("fig2_ttest.csv", ttest);
    write("fig2_learning.csv", learning);
    write("fig2_histogram.csv", histogram);
    write("fig3_ttest.csv", fig3);
    write("fig4_counts.csv", counts);
    write("fig4_probes.csv", probes);
    write("fig6_r.csv", r);
    write("fig6_ttest.csv", rt);
    write("parameters.csv", List.of("name,value", "models,clip;alexnet", "labels,faces;places;food",
        "subjects,subj01;subj02"));
    for (String s : SUBJECTS) {
      Path maps = Files.createDirectories(RUN.resolve("evaluation/maps").resolve(s));
      for (String label : LABELS) {
        double[] msm = new double[NX * NY * NZ];
        double[] floc = new double[msm.length];
        Arrays.fill(msm, Double.NaN);
        Arrays.fill(floc, Double.NaN);
        for (int k = 2; k < 6; k++) {
          for (int j = 3; j < 12; j++) {
            for (int i = 3; i < 13; i++) {
              int at = i + NX * (j + NY * k);
              floc[at] = rnd.nextDouble();
              msm[at] = Math.min(1, Math.max(0, floc[at] + 0.2 * rnd.nextGaussian()));
            }
          }
        }
        Nifti.write(maps.resolve(label + "_msm.nii.gz"), new long[] {NX, NY, NZ}, msm, 16, null);
        Nifti.write(maps.resolve(label + "_floc.nii.gz"), new long[] {NX, NY, NZ}, floc, 16, null);
      }
    }
  }

  @Test
  void writesThePageWithEveryFigure() throws IOException {
    Cli run = Cli.run("report", "--run", RUN.toString());
    assertEquals(0, run.status, run.toString());
    Path index = RUN.resolve("report/index.html");
    assertEquals("report: " + (8 + 1 + SUBJECTS.size() * LABELS.size()) + " figures, 14 tables; wrote " + index,
        run.out.strip());
    assertEquals("", run.errorLines(), "no warning: every input is there");
    String html = Files.readString(index);
    List<String> images = new ArrayList<>();
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      images.add(m.group(1));
    }
    List<String> expected = new ArrayList<>(List.of("fig2_r2.png", "fig2_learning.png", "fig2_histogram_clip.png",
        "fig2_histogram_alexnet.png", "fig2_significant.png", "fig3_cosine.png", "fig4_counts.png", "fig6_r.png",
        "fig6_subjects.png"));
    for (String s : SUBJECTS) {
      for (String label : LABELS) {
        expected.add("fig5_" + s + "_" + label + ".png");
      }
    }
    assertEquals(expected.stream().sorted().toList(), images.stream().sorted().toList());
    for (String png : expected) {
      BufferedImage img = ImageIO.read(RUN.resolve("report").resolve(png).toFile());
      assertTrue(img != null && img.getWidth() > 300 && img.getHeight() > 150, png);
    }
    assertTrue(html.contains("href=\"../evaluation/fig6_ttest.csv\""), "CSV linked relatively");
    assertFalse(html.matches("(?s).*(src|href)=\"(https?:|//|/|file:).*"), "relative links only");
  }

  @Test
  void optionsAndDefaults() throws IOException {
    Path out = tmp.resolve("elsewhere/report");
    Cli run = Cli.run("report", "--run", RUN.toString(), "--out", out.toString(), "--slices", "2");
    assertEquals(0, run.status, run.toString());
    assertTrue(run.out.contains("wrote " + out.resolve("index.html")), run.out);
    BufferedImage montage = ImageIO.read(out.resolve("fig5_subj01_faces.png").toFile());
    BufferedImage wide = ImageIO.read(RUN.resolve("report/fig5_subj01_faces.png").toFile());
    assertTrue(montage != null && wide != null);
    Cli help = Cli.run("report", "--help");
    assertTrue(help.out.contains("--slices=N") && help.out.contains("(default 8)"), help.out);
  }

  @Test
  void aMissingCsvIsNamedOnThePageAndWarnedOnce() throws IOException {
    Path run = tmp.resolve("partial");
    Files.createDirectories(run.resolve("evaluation"));
    Files.copy(RUN.resolve("evaluation/fig6_r.csv"), run.resolve("evaluation/fig6_r.csv"));
    Cli cli = Cli.run("report", "--run", run.toString());
    assertEquals(0, cli.status, cli.toString());
    assertEquals(1, cli.errorLines().lines().count(), cli.toString());
    assertTrue(cli.errorLines().contains("warning: 10 part(s) not drawn"), cli.toString());
    String html = Files.readString(run.resolve("report/index.html"));
    assertTrue(html.contains("Fig. 3 (cosine of the label with the weights) is not drawn: evaluation/fig3_ttest.csv"
        + " is missing."), html);
    assertTrue(Files.exists(run.resolve("report/fig6_r.png")));
  }

  @Test
  void badInput() throws IOException {
    Path noEvaluation = Files.createDirectories(tmp.resolve("no-evaluation"));
    Cli.assertRejected(noEvaluation.resolve("report"), "evaluation: no such directory", "report", "--run",
        noEvaluation.toString());
    assertFalse(Files.exists(noEvaluation.resolve("report")));
    Cli.assertRejected("no such directory", "report", "--run", tmp.resolve("absent").toString());
    Cli.assertRejected("--slices: expected 1 to 24", "report", "--run", RUN.toString(), "--slices", "0");
    Cli.assertRejected("--run", "report");
    // A CSV without its columns: one line naming the file and the column.
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad.resolve("evaluation"));
    Files.writeString(bad.resolve("evaluation/fig3_ttest.csv"), "subject,roi\nsubj01,all\n");
    Cli.assertRejected("fig3_ttest.csv: no column n, mean_msm", "report", "--run", bad.toString());
    // A non-empty directory that is not a clipmsm result is not replaced.
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    Cli.assertRejected("--out", "report", "--run", RUN.toString(), "--out", foreign.toString());
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
  }

  private static List<String> lines(String header) {
    List<String> out = new ArrayList<>();
    out.add(header);
    return out;
  }

  private static String csv(Object... fields) {
    List<String> out = new ArrayList<>();
    for (Object f : fields) {
      out.add(f instanceof Double d ? String.format(Locale.ROOT, "%s", d) : String.valueOf(f));
    }
    return String.join(",", out);
  }

  private static void write(String name, List<String> lines) throws IOException {
    Files.writeString(RUN.resolve("evaluation").resolve(name), String.join("\n", lines) + "\n");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
