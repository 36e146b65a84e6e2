package org.clipmsm.e2e;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.clipmsm.cli.ClipMsm;

/** Runs the command line in this JVM and captures what it prints. */
final class Cli {
  final int status;
  final String out;
  final String err;

  private Cli(int status, String out, String err) {
    this.status = status;
    this.out = out;
    this.err = err;
  }

  static synchronized Cli run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int status = ClipMsm.run(args);
      return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** The error lines (progress lines start with "clipmsm fit: block" and the like). */
  String errorLines() {
    return err.lines().filter(l -> l.contains("error") || l.contains("failed") || l.contains("warning"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  @Override
  public String toString() {
    return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
