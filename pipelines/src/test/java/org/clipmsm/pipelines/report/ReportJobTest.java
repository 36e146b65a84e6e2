package org.clipmsm.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJobTest {
  @TempDir
  Path tmp;

  /** The sample run's report, left in target/ for a person to open (target/report-sample/run/report/index.html). */
  private static final Path KEPT = Path.of("target", "report-sample", "run");

  private static ReportJob.Summary report(Path run) {
    return ReportJob.run(ReportSettings.of(run));
  }

  private static BufferedImage png(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " exists");
    BufferedImage img = ImageIO.read(file.toFile());
    assertTrue(img != null, file + " is an image");
    return img;
  }

  private static void assertSize(int width, int height, Path file) throws IOException {
    BufferedImage img = png(file);
    assertEquals(width + "x" + height, img.getWidth() + "x" + img.getHeight(), file.toString());
  }

  @Test
  void everyFigureRendersAPngOfTheExpectedSize() throws IOException {
    deleteTree(KEPT);
    Path run = SampleRun.write(KEPT, "subj03");
    ReportJob.Summary s = report(run);
    Path out = run.resolve("report");
    assertEquals(out.resolve("index.html"), s.index());
    assertEquals(List.of(), s.missing());
    for (String f : List.of("fig2_r2.png", "fig2_learning.png", "fig2_histogram_clip.png",
        "fig2_histogram_imagenet.png", "fig2_significant.png", "fig3_cosine.png", "fig4_counts.png", "fig6_r.png")) {
      assertSize(Charts.WIDTH, Charts.HEIGHT, out.resolve(f));
    }
    // Five labels: panels of 3 columns and 2 rows.
    assertSize(3 * (Charts.WIDTH / 2 + 20), 2 * 340, out.resolve("fig6_subjects.png"));
    // NIfTI montages: the layout of the maps' grid (cropped to the brain mask: 20 x 24 voxels, 5 px each).
    SliceMontage.Volume msm = SliceMontage.Volume.read(run.resolve("evaluation/maps/subj01/faces_msm.nii.gz"));
    SliceMontage.Volume floc = SliceMontage.Volume.read(run.resolve("evaluation/maps/subj01/faces_floc.nii.gz"));
    SliceMontage.Volume mask = SliceMontage.Volume.read(run.resolve("subj01/space.nii.gz"));
    SliceMontage.Layout layout = SliceMontage.layout(List.of(msm, floc), mask, ReportSettings.DEFAULT_SLICES);
    assertEquals(6, layout.slices().length, "the slices that hold values: k = 2..7");
    for (String subject : List.of("subj01", "subj02")) {
      for (String label : SampleRun.LABELS) {
        assertSize(layout.width(), layout.height(), out.resolve("fig5_" + subject + "_" + label + ".png"));
      }
    }
    // CIFTI maps: strips.
    for (String label : SampleRun.LABELS) {
      assertSize(GrayordinateStrips.width(), GrayordinateStrips.height(2), out.resolve("fig5_subj03_" + label
          + ".png"));
    }
    assertEquals(9 + 3 * SampleRun.LABELS.size(), s.images());
    assertTrue(Files.exists(out.resolve(OutputDirectory.MARKER)), "a result directory");
  }

  @Test
  void htmlHoldsEveryFigureAndTableWithOnlyRelativeLinks() throws IOException {
    Path run = SampleRun.write(tmp.resolve("run"), null);
    ReportJob.Summary s = report(run);
    Path out = run.resolve("report");
    String html = Files.readString(s.index());
    List<String> src = attributes(html, "src");
    List<String> href = attributes(html, "href");
    // Every PNG written is on the page, and every image on the page is a file of the report.
    Set<String> pngs = new TreeSet<>();
    try (Stream<Path> files = Files.list(out)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).forEach(pngs::add);
    }
    assertEquals(pngs, new TreeSet<>(src));
    assertEquals(s.images(), src.size());
    for (String link : src) {
      assertTrue(Files.isRegularFile(out.resolve(link)), link);
    }
    for (String link : concat(src, href)) {
      assertFalse(link.matches("(?i)^([a-z][a-z0-9+.-]*:|//|/).*"), "relative: " + link);
    }
    // Nothing from elsewhere: no external script, style sheet or font.
    assertFalse(html.contains("<script src") || html.contains("<link") || html.contains("@import")
        || html.contains("url("), "self-contained");
    // Every CSV linked from the page, relative to the report.
    for (String csv : List.of("fig2_r2.csv", "fig2_ttest.csv", "fig2_learning.csv", "fig2_histogram.csv",
        "fig3_ttest.csv", "fig4_counts.csv", "fig4_probes.csv", "fig6_r.csv", "fig6_ttest.csv", "parameters.csv")) {
      assertTrue(href.contains("../evaluation/" + csv), csv + " linked");
      assertTrue(Files.isRegularFile(out.resolve("../evaluation/" + csv)));
    }
    // The tables: as many as the summary says, with the CSVs' numbers to four significant digits.
    assertEquals(s.tables(), count(html, "<table>"));
    assertTrue(s.tables() >= 12, "tables: " + s.tables());
    EvalCsv ttest = EvalCsv.read(run.resolve("evaluation/fig6_ttest.csv"));
    for (int i = 0; i < ttest.size(); i++) {
      for (String col : List.of("mean_r_msm", "mean_r_onehot", "mean_diff", "p")) {
        assertTrue(html.contains(">" + Html.number(ttest.number(i, col)) + "<"), col + " row " + i);
      }
    }
    assertTrue(html.contains("<td class=\"num sig\">0.025</td>"), "p < 0.05 in bold");
    assertTrue(html.contains("<td class=\"num\">NaN</td>"), "NaN shown as NaN");
    assertTrue(html.contains("<td class=\"num\">1.20e-16</td>") || html.contains("e-16</td>"), "tiny p");
    // Every section of the paper's figures, and its heading in the table of contents.
    for (String id : List.of("fig2", "fig3", "fig4", "fig5", "fig6", "parameters")) {
      assertTrue(html.contains("<section id=\"" + id + "\">") && href.contains("#" + id), id);
    }
    assertTrue(html.contains("data-broken-images"), "the image check of tools/check-report");
  }

  @Test
  void aMissingCsvGivesASentenceNotAFailure() throws IOException {
    Path run = SampleRun.write(tmp.resolve("run"), null);
    Files.delete(run.resolve("evaluation/fig3_ttest.csv"));
    Files.delete(run.resolve("evaluation/fig2_learning.csv"));
    Files.delete(run.resolve("evaluation/fig6_ttest.csv"));
    deleteTree(run.resolve("evaluation/maps"));
    ReportJob.Summary s = report(run);
    String html = Files.readString(s.index());
    List<String> expected = List.of(
        "Fig. 3 (cosine of the label with the weights) is not drawn: evaluation/fig3_ttest.csv is missing.",
        "Fig. 2b (the learning curve) is not drawn: evaluation/fig2_learning.csv is missing.",
        "The paired t-tests of Fig. 6 are not shown: evaluation/fig6_ttest.csv is missing.",
        "Fig. 5 (brain maps) is not drawn: evaluation/maps/ is missing.");
    for (String sentence : expected) {
      assertTrue(s.missing().contains(sentence), sentence + " in " + s.missing());
      assertTrue(html.contains("<p class=\"missing\">" + Html.escape(sentence) + "</p>"), sentence);
    }
    assertEquals(4, s.missing().size(), s.missing().toString());
    Path out = run.resolve("report");
    assertFalse(Files.exists(out.resolve("fig3_cosine.png")));
    assertFalse(Files.exists(out.resolve("fig2_learning.png")));
    assertTrue(Files.exists(out.resolve("fig6_r.png")), "Fig. 6 from fig6_r.csv alone");
  }

  @Test
  void anEmptyEvaluationGivesAPageOfSentences() throws IOException {
    Path run = tmp.resolve("run");
    Files.createDirectories(run.resolve("evaluation"));
    ReportJob.Summary s = report(run);
    assertEquals(0, s.images());
    assertEquals(0, s.tables());
    assertEquals(11, s.missing().size(), s.missing().toString());
    assertTrue(Files.readString(s.index()).contains("evaluation/fig2_r2.csv is missing."));
  }

  @Test
  void noEvaluationDirectoryIsBadInput() throws IOException {
    Path run = Files.createDirectories(tmp.resolve("run"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> report(run));
    assertTrue(e.getMessage().startsWith(run.resolve("evaluation") + ": no such directory"), e.getMessage());
    assertFalse(Files.exists(run.resolve("report")), "nothing written");
    InvalidInputException none = assertThrows(InvalidInputException.class, () -> report(tmp.resolve("absent")));
    assertTrue(none.getMessage().contains("no such directory"), none.getMessage());
  }

  @Test
  void aCsvWithoutItsColumnsIsBadInputAndLeavesTheEarlierReport() throws IOException {
    Path run = SampleRun.write(tmp.resolve("run"), null);
    report(run);
    Path index = run.resolve("report/index.html");
    String before = Files.readString(index);
    Files.writeString(run.resolve("evaluation/fig3_ttest.csv"), "subject,roi,n\nsubj01,all,3\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> report(run));
    assertTrue(e.getMessage().contains("fig3_ttest.csv: no column mean_msm"), e.getMessage());
    assertEquals(before, Files.readString(index), "the earlier report is kept");
    Files.writeString(run.resolve("evaluation/fig3_ttest.csv"),
        "subject,roi,n,mean_msm,mean_netdissect,mean_diff,t,df,p\nsubj01,all,3,high,0.1,0.1,1,2,0.5\n");
    e = assertThrows(InvalidInputException.class, () -> report(run));
    assertTrue(e.getMessage().contains("line 2: expected a number in column mean_msm, got 'high'"), e.getMessage());
  }

  @Test
  void aRerunReplacesTheReportAsAWhole() throws IOException {
    Path run = SampleRun.write(tmp.resolve("run"), null);
    report(run);
    Path stale = run.resolve("report/stale.png");
    Files.writeString(stale, "from an earlier run");
    Files.delete(run.resolve("evaluation/fig4_counts.csv"));
    ReportJob.Summary s = report(run);
    assertFalse(Files.exists(stale));
    assertFalse(Files.exists(run.resolve("report/fig4_counts.png")));
    assertEquals(1, s.missing().size());
  }

  @Test
  void aLongLabelSetIsStackedAsTheLargestAndTheRest() throws IOException {
    Path run = SampleRun.write(tmp.resolve("run"), null);
    StringBuilder counts = new StringBuilder("subject,set,label,name,voxels,fraction\n");
    for (int l = 0; l < 30; l++) {
      counts.append("subj01,all,").append(l).append(",label").append(l).append(",").append(l + 1).append(",0.01\n");
    }
    Files.writeString(run.resolve("evaluation/fig4_counts.csv"), counts);
    report(run);
    assertSize(Charts.WIDTH, Charts.HEIGHT, run.resolve("report/fig4_counts.png"));
    assertTrue(Files.readString(run.resolve("report/index.html")).contains("<td>label29</td>"), "the table: all");
  }

  @Test
  void settingsCheckTheirValues() {
    ReportSettings s = ReportSettings.of(Path.of("r"));
    assertEquals(Path.of("r", "report"), s.out());
    assertEquals(Path.of("r", "evaluation"), s.evaluation());
    assertEquals(Path.of("x"), s.withOut(Path.of("x")).out());
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> s.withSlices(0));
    assertEquals("slices", e.parameter());
  }

  @Test
  void theReportMayGoElsewhereAndLinksFollow() throws IOException {
    Path run = SampleRun.write(tmp.resolve("run"), null);
    ReportJob.Summary s = ReportJob.run(ReportSettings.of(run).withOut(tmp.resolve("pages/r1")));
    String html = Files.readString(s.index());
    assertTrue(attributes(html, "href").contains("../../run/evaluation/fig2_r2.csv"), html.substring(0, 400));
    // The report may not replace the run's inputs.
    assertThrows(InvalidParameterException.class, () -> ReportJob.run(ReportSettings.of(run).withOut(run)));
  }

  static List<String> attributes(String html, String name) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(html);
    while (m.find()) {
      out.add(m.group(1).replace("&amp;", "&"));
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  static void deleteTree(Path p) throws IOException {
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
