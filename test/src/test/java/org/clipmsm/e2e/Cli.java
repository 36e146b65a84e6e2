package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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

  /**
   * Bad input as the project promises it: exit status 2, one error line that mentions {@code mustMention}, no stack
   * trace, and nothing written in {@code out}.
   */
  static Cli assertRejected(Path out, String mustMention, String... args) throws IOException {
    Cli run = assertRejected(mustMention, args);
    if (Files.exists(out)) {
      try (Stream<Path> s = Files.list(out)) {
        assertEquals(0, s.count(), "nothing written in --out");
      }
    }
    return run;
  }

  /**
   * Exit status 2, one error line that mentions {@code mustMention}, no stack trace; what is on disk is the caller's
   * to check (for an {@code --out} that existed before the run, "nothing written in it" means "as it was").
   */
  static Cli assertRejected(String mustMention, String... args) {
    return assertRejected(run(args), mustMention);
  }

  /** The checks of {@link #assertRejected(String, String...)} on a finished run. */
  static Cli assertRejected(Cli run, String mustMention) {
    assertEquals(2, run.status, run.toString());
    String errors = run.errorLines().strip();
    assertEquals(1, errors.lines().count(), "one error line: " + run);
    assertTrue(errors.contains(mustMention), "error should mention '" + mustMention + "': " + errors);
    assertFalse(run.err.contains("\tat "), "no stack trace: " + run.err);
    return run;
  }

  /**
   * Runs a command line with another build's jar ({@code java -jar JAR args}) in a subprocess, e.g. to see what an
   * older build does with a bad input.
   */
  static Cli runJar(Path jar, String... args) {
    try {
      Path stdout = Files.createTempFile("clipmsm-out", ".txt");
      Path stderr = Files.createTempFile("clipmsm-err", ".txt");
      try {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        int status = p.waitFor();
        return new Cli(status, Files.readString(stdout), Files.readString(stderr));
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
