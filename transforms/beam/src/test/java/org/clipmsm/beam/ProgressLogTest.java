package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProgressLogTest {
  @Test
  void itemLinesAreThrottledButTheLastAlwaysPrints() {
    String run = UUID.randomUUID().toString();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ProgressLog.start(run);
      // Three batches well within the interval: only the one that completes the total prints.
      ProgressLog.itemsDone(run, "embed", "images", 32, 80);
      ProgressLog.itemsDone(run, "embed", "images", 32, 80);
      ProgressLog.itemsDone(run, "embed", "images", 16, 80);
    } finally {
      System.setErr(err);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(1, lines.length, captured.toString(StandardCharsets.UTF_8));
    assertEquals("clipmsm embed: 80/80 images,", lines[0].substring(0, "clipmsm embed: 80/80 images,".length()));
  }
}
