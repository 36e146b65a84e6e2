package org.clipmsm.pipelines.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.clipmsm.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging contract of every output: whole or nothing, one run per directory, never an input overwritten. */
class StagingTest {
  @TempDir
  Path tmp;

  private List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aCommittedDirectoryHoldsThatRunOnlyAndAFailedRunLeavesItAsItWas() throws IOException {
    Path out = tmp.resolve("fit");
    try (OutputDirectory d = OutputDirectory.open(out)) {
      Files.writeString(d.file("a.txt"), "first");
      Files.writeString(d.file("p.npy"), "only in the first run");
      assertFalse(Files.exists(out), "nothing at the target before the commit");
      d.commit();
    }
    assertEquals(List.of(".clipmsm", "a.txt", "p.npy"), names(out));
    try (OutputDirectory d = OutputDirectory.open(out)) {
      Files.writeString(d.file("a.txt"), "second");
      d.commit();
    }
    assertEquals(List.of(".clipmsm", "a.txt"), names(out), "the earlier run's other files are gone");
    assertEquals("second", Files.readString(out.resolve("a.txt")));
    try (OutputDirectory d = OutputDirectory.open(out)) {
      Files.writeString(d.file("a.txt"), "third, never committed");
    }
    assertEquals("second", Files.readString(out.resolve("a.txt")));
    assertEquals(List.of("fit"), names(tmp), "no staging left beside the target");
  }

  @Test
  void aDirectoryThatIsNotAResultOrHoldsAnInputIsRefused() throws IOException {
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("thesis.tex"), "precious");
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> OutputDirectory.open(mine));
    assertEquals("out", e.parameter());
    assertTrue(e.reason().contains("not a clipmsm result") || e.reason().contains("something other than"),
        e.getMessage());
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path x = Files.writeString(data.resolve("x.npy"), "input");
    e = assertThrows(InvalidParameterException.class, () -> OutputDirectory.open(data, List.of(x)));
    assertTrue(e.reason().contains("holds the input"), e.getMessage());
    assertEquals("precious", Files.readString(mine.resolve("thesis.tex")));
    assertEquals(List.of("data", "mine"), names(tmp));
    Files.createDirectories(tmp.resolve("empty"));
    try (OutputDirectory d = OutputDirectory.open(tmp.resolve("empty"))) {
      d.commit();
    }
    assertEquals(List.of(".clipmsm"), names(tmp.resolve("empty")), "an empty directory may take a result");
  }

  @Test
  void aFileOutputReplacesAFileButNeverAnInputOrADirectory() throws IOException {
    Path target = tmp.resolve("nc.npy");
    Files.writeString(target, "old");
    try (OutputFile f = OutputFile.open(target)) {
      Files.writeString(f.staged(), "new");
      Files.writeString(f.staged().resolveSibling("scratch"), "scratch");
      assertEquals(target.getFileName(), f.staged().getFileName(), "staged under the target's own name");
      f.commit();
    }
    assertEquals("new", Files.readString(target));
    assertEquals(List.of("nc.npy"), names(tmp));
    Path input = Files.writeString(tmp.resolve("ncsnr.npy"), "input");
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> OutputFile.open(input, List.of(input)));
    assertTrue(e.reason().contains("is also an input"), e.getMessage());
    e = assertThrows(InvalidParameterException.class, () -> OutputFile.open(tmp));
    assertTrue(e.reason().contains("is a directory"), e.getMessage());
    e = assertThrows(InvalidParameterException.class, () -> OutputFile.open(input.resolve("x.npy")));
    assertTrue(e.reason().contains("is not a directory"), e.getMessage());
    assertFalse(e.getMessage().contains(".clipmsm-"), "the hidden staging name is not the user's business");
    assertEquals("input", Files.readString(input));
  }

  @Test
  void stagingLeftByAKilledProcessIsDeletedByTheNextRun() throws IOException {
    Path stale = Files.createDirectories(tmp.resolve(".clipmsm-999999999-0123456789ab-fit"));
    Files.writeString(stale.resolve("weights.npy"), "half-written");
    Path ours = Files.createDirectories(tmp.resolve(".clipmsm-" + ProcessHandle.current().pid()
        + "-0123456789ab-other"));
    try (OutputDirectory d = OutputDirectory.open(tmp.resolve("fit"))) {
      d.commit();
    }
    assertFalse(Files.exists(stale), "a dead process's staging is deleted");
    assertTrue(Files.exists(ours), "a running process's staging is left alone");
  }

  @Test
  void aFailedRunRemovesTheParentDirectoriesItCreated() throws IOException {
    Path out = tmp.resolve("a/b/fit");
    try (OutputDirectory d = OutputDirectory.open(out)) {
      Files.writeString(d.file("x.npy"), "never committed");
    }
    assertEquals(List.of(), names(tmp), "a/b removed again");
    Files.createDirectories(tmp.resolve("a"));
    Files.writeString(tmp.resolve("a/keep.txt"), "mine");
    try (OutputFile f = OutputFile.open(tmp.resolve("a/b/c/nc.npy"))) {
      Files.writeString(f.staged(), "never committed");
    }
    assertEquals(List.of("keep.txt"), names(tmp.resolve("a")), "only what this run created is removed");
  }

  @Test
  void anEarlierResultMovedAsideByAKilledCommitIsRestored() throws IOException {
    // A process killed between the two renames of its commit: the earlier result aside, the target missing.
    Path aside = Files.createDirectories(tmp.resolve(".clipmsm-999999999-0123456789ab-fit" + Staging.PREVIOUS));
    Files.writeString(aside.resolve("r2.npy"), "earlier result");
    Files.writeString(aside.resolve(OutputDirectory.MARKER), "");
    try (OutputDirectory d = OutputDirectory.open(tmp.resolve("other"))) {
      d.commit();
    }
    assertEquals("earlier result", Files.readString(tmp.resolve("fit/r2.npy")), "moved back, not deleted");
    // With the target present, what was set aside is stale and goes.
    Path again = Files.createDirectories(tmp.resolve(".clipmsm-999999999-0123456789ab-fit" + Staging.PREVIOUS));
    try (OutputDirectory d = OutputDirectory.open(tmp.resolve("other"))) {
      d.commit();
    }
    assertFalse(Files.exists(again));
    assertEquals("earlier result", Files.readString(tmp.resolve("fit/r2.npy")));
  }
}
