package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.pipelines.report.ReportJob;
import org.clipmsm.pipelines.report.ReportSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Draws the paper's figures from a run's evaluation as an HTML page with PNG figures and tables.",
        "Reads RUN/evaluation/ (the CSV files and brain maps of evaluate, docs/evaluation.md) and writes",
        "RUN/report/index.html: Figs. 2-6 as PNG images with the numbers in tables beside them, and the run's",
        "parameters. The page opens offline (no script, font or style from elsewhere; relative links only). A",
        "figure whose CSV file is missing is replaced by a sentence naming it."})
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "RUN", description = "The run directory; its evaluation/"
      + " holds evaluate's outputs.")
  Path run;

  @Option(names = "--out", paramLabel = "DIR", description = "The report directory (default RUN/report), replaced as"
      + " a whole.")
  Path out;

  @Option(names = "--slices", paramLabel = "N", description = "At most N axial slices per brain map in Fig. 5"
      + " (default ${DEFAULT-VALUE}).")
  int slices = ReportSettings.DEFAULT_SLICES;

  @Override
  public Integer call() {
    ReportJob.Summary s = ReportJob.run(ReportSettings.of(run).withOut(out).withSlices(slices));
    if (!s.missing().isEmpty()) {
      System.err.printf("clipmsm report: warning: %d part(s) not drawn, their input is missing (see the page)%n",
          s.missing().size());
    }
    System.out.printf("report: %d figures, %d tables; wrote %s%n", s.images(), s.tables(), s.index());
    return 0;
  }
}
