package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static String stderrOf(Runnable r) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void itemLinesAreThrottledButTheLastAlwaysPrints() {
    String out = stderrOf(() -> {
      Progress.Stage s = Progress.lines("clipmsm").stage("embed", 80);
      s.start();
      // Three batches well within the interval: only the one that completes the total prints.
      s.itemsDone("images", 32);
      s.itemsDone("images", 32);
      s.itemsDone("images", 16);
    });
    String[] lines = out.split("\n");
    assertEquals(1, lines.length, out);
    assertEquals("clipmsm embed: 80/80 images,", lines[0].substring(0, "clipmsm embed: 80/80 images,".length()));
  }

  @Test
  void blockLinesCarryTheReportersLabelAndAQuietReporterPrintsNothing() {
    String out = stderrOf(() -> {
      Progress.Stage s = Progress.lines("study subj01").stage("fit", 30);
      s.start();
      s.blockDone(10);
      s.blockDone(20);
      Progress.Stage quiet = Progress.quiet().stage("fit", 30);
      quiet.start();
      quiet.blockDone(30);
      Progress.quiet().note("fit", "not shown");
    });
    String[] lines = out.split("\n");
    assertEquals(2, lines.length, out);
    assertEquals("study subj01 fit: 1 blocks done, 10/30 voxels,", lines[0].substring(0, 46));
    assertEquals("study subj01 fit: 2 blocks done, 30/30 voxels,", lines[1].substring(0, 46));
    // Every line ends with the time since the reporter was made: the timeline of overlapping stages.
    assertTrue(lines[1].matches(".* voxels/s \\(\\+\\d+\\.\\d s\\)"), lines[1]);
  }
}
