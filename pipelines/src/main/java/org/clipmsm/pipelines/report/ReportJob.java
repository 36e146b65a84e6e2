package org.clipmsm.pipelines.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.pipelines.report.Html.Section;

/**
 * The report of a run: {@code index.html} with the paper's figures (docs/method.md §6) as PNG images and the numbers
 * of {@code evaluate}'s CSV files in tables beside them, written into the report directory as a whole (staged, then
 * committed: {@link OutputDirectory}). The page opens offline: no script, font or style from elsewhere, images and
 * CSV files by relative links. A figure whose CSV file is missing is replaced by a sentence naming the file. A
 * driver-side step.
 *
 * <pre>{@code
 * ReportJob.Summary s = ReportJob.run(ReportSettings.of(Path.of("runs/nsd")));
 * System.out.println(s.index()); // runs/nsd/report/index.html
 * }</pre>
 */
public final class ReportJob {
  /** The page's file in the report directory. */
  public static final String INDEX = "index.html";

  private ReportJob() {}

  /**
   * What was written.
   *
   * @param index the page
   * @param images the PNG figures on it
   * @param tables the tables on it
   * @param missing one sentence per figure or table that could not be drawn (its file is missing)
   */
  public record Summary(Path index, int images, int tables, List<String> missing) {
    public Summary {
      missing = List.copyOf(missing);
    }
  }

  public static Summary run(ReportSettings s) {
    // Charts are drawn into images, never on a screen.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    Path run = s.run();
    Path evaluation = s.evaluation();
    if (!Files.isDirectory(run)) {
      throw new InvalidInputException(run + ": no such directory (expected a run directory, docs/evaluation.md)");
    }
    if (!Files.isDirectory(evaluation)) {
      throw new InvalidInputException(evaluation + ": no such directory (expected the CSV files of evaluate: run"
          + " evaluate on " + run + " first)");
    }
    List<String> models = lines(run.resolve("models.txt"));
    List<String> labels = lines(run.resolve("labels.txt"));
    try (OutputDirectory out = OutputDirectory.open(s.out(), List.of(evaluation))) {
      Path target = s.out().toAbsolutePath().normalize();
      String evaluationHref = target.relativize(evaluation.toAbsolutePath().normalize()).toString()
          .replace('\\', '/') + "/";
      Figures.Context ctx = new Figures.Context(run, evaluation, out.dir(), evaluationHref, models, labels,
          s.slices());
      List<Section> sections = List.of(Figures.fig2(ctx), Figures.fig3(ctx), Figures.fig4(ctx), Figures.fig5(ctx),
          Figures.fig6(ctx), Figures.parameters(ctx));
      int images = 0;
      int tables = 0;
      List<String> missing = new ArrayList<>();
      for (Section section : sections) {
        images += section.images;
        tables += section.tables;
        missing.addAll(section.missing);
      }
      String name = s.name() != null ? s.name() : run.toAbsolutePath().normalize().getFileName() == null
          ? run.toString() : run.toAbsolutePath().normalize().getFileName().toString();
      StringBuilder intro = new StringBuilder();
      intro.append("<p>Run <code>").append(Html.escape(name)).append("</code>: ").append(images)
          .append(" figures and ").append(tables).append(" tables from the CSV files of evaluate in <a href=\"")
          .append(Html.escape(Html.href(evaluationHref))).append("\">").append(ReportSettings.EVALUATION)
          .append("/</a> (docs/evaluation.md). Tables show four significant digits; each links its CSV file,"
              + " which holds the exact values.</p>\n");
      if (!missing.isEmpty()) {
        intro.append("<p class=\"missing\">").append(missing.size()).append(missing.size() == 1 ? " part is" :
            " parts are").append(" not drawn because their input is missing; each is named in its section.</p>\n");
      }
      write(out.file(INDEX), Html.page("CLIP-MSM report: " + name, intro.toString(), sections));
      out.commit();
      return new Summary(s.out().resolve(INDEX), images, tables, missing);
    }
  }

  /** The non-blank lines of an optional text file (stripped); none if it does not exist. */
  static List<String> lines(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
          .filter(l -> !l.isEmpty()).toList();
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read (" + InvalidInputException.firstLine(e) + ")", e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
