package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.clipmsm.pipelines.DemoData;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a result directory holds across runs, and what a run that is stopped leaves: a rerun into the same --out
 * holds that run only; a directory that is not a clipmsm result is never replaced; staging of a killed process is
 * cleaned by the next run in the same directory; SIGINT leaves nothing, SIGKILL leaves only hidden staging; outputs
 * get the same permissions whatever their format.
 */
class RerunAndInterruptTest {
  @TempDir
  Path tmp;

  private Path data() {
    Path data = tmp.resolve("data");
    data.toFile().mkdirs();
    DemoData.write(data, 5, 200, 8, 30);
    return data;
  }

  private static String[] fit(Path data, Path out, String... extra) {
    return BadInputTest.concat(new String[] {"fit", "--features", data.resolve("features.npy").toString(),
        "--responses", data.resolve("responses.npy").toString(), "--out", out.toString()}, extra);
  }

  private static String[] smallSynth(Path out) {
    return new String[] {"synth", "nsd", "--out", out.toString(), "--images", "250", "--voxels", "20", "--grid",
        "8,8,6", "--image-size", "16"};
  }

  private static List<String> staged(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".clipmsm-")).sorted().toList();
    }
  }

  /** Old build: the second run wrote into DIR over the first, so p.npy, q.npy, significant.npy of run 1 stayed. */
  @Test
  void aRerunIntoTheSameOutHoldsThatRunOnly() throws IOException {
    Path data = data();
    Path out = tmp.resolve("fit");
    Cli first = Cli.run(fit(data, out, "--significance", "--bootstraps", "50"));
    assertEquals(0, first.status, first.toString());
    for (String f : List.of("p.npy", "q.npy", "significant.npy", "weights.npy")) {
      assertTrue(Files.exists(out.resolve(f)), "first run wrote " + f);
    }
    Cli second = Cli.run(fit(data, out));
    assertEquals(0, second.status, second.toString());
    assertTrue(Files.exists(out.resolve("weights.npy")));
    assertTrue(Files.exists(out.resolve(OutputDirectory.MARKER)), "a result directory is marked");
    for (String f : List.of("p.npy", "q.npy", "significant.npy")) {
      assertFalse(Files.exists(out.resolve(f)), f + " of the first run must be gone after the second");
    }
    assertEquals(List.of(), staged(tmp), "no staging left");
  }

  /** Old build: fit wrote its files among the user's (exit 0); synth wrote its tree among them. */
  @Test
  void aNonEmptyDirectoryThatIsNotAResultIsRefused() throws IOException {
    Path data = data();
    Path mine = tmp.resolve("mine");
    Files.createDirectories(mine.resolve("sub"));
    Files.writeString(mine.resolve("notes.txt"), "my notes\n");
    Files.writeString(mine.resolve("sub/weights.npy"), "not clipmsm's\n");
    Map<String, BadInputTest.Entry> before = BadInputTest.snapshot(tmp);
    Cli a = Cli.assertRejected("--out", fit(data, mine));
    assertFalse(a.err.contains(".clipmsm-"), a.err);
    BadInputTest.assertUnchanged(before, BadInputTest.snapshot(tmp), "fit --out a directory of the user's");
    Cli b = Cli.assertRejected("--out", smallSynth(mine));
    assertFalse(b.err.contains(".clipmsm-"), b.err);
    BadInputTest.assertUnchanged(before, BadInputTest.snapshot(tmp), "synth --out a directory of the user's");
  }

  /** Staging named for a pid that does not run (as left by SIGKILL) goes with the next run in that directory. */
  @Test
  void staleStagingOfAKilledProcessIsCleanedByTheNextRun() throws IOException {
    Path data = data();
    Path parent = Files.createDirectories(tmp.resolve("runs"));
    Path staleFile = parent.resolve(".clipmsm-999999999-0123456789ab-nc.npy");
    Files.createDirectories(staleFile);
    Files.writeString(staleFile.resolve("nc.npy"), "half written\n");
    Cli nc = Cli.run("noise-ceiling", "--ncsnr", data.resolve("ncsnr.npy").toString(), "--trials", "3", "--out",
        parent.resolve("nc.npy").toString());
    assertEquals(0, nc.status, nc.toString());
    assertTrue(Files.exists(parent.resolve("nc.npy")));
    assertEquals(List.of(), staged(parent), "noise-ceiling (a file output) cleans stale staging");

    Path staleDir = parent.resolve(".clipmsm-999999999-0123456789ab-x");
    Files.createDirectories(staleDir.resolve("deep"));
    Files.writeString(staleDir.resolve("deep/weights.npy"), "half written\n");
    Cli f = Cli.run(fit(data, parent.resolve("fit")));
    assertEquals(0, f.status, f.toString());
    assertTrue(Files.exists(parent.resolve("fit/weights.npy")));
    assertEquals(List.of(), staged(parent), "fit (a directory output) cleans stale staging");
  }

  /** Old build: SIGINT exited 130 with DIR created and partly written (2 files after 6 s). */
  @Test
  void sigintLeavesNeitherOutNorStaging() throws Exception {
    Path parent = Files.createDirectories(tmp.resolve("int"));
    Path out = parent.resolve("subject");
    Process p = startLongSynth(out);
    try {
      awaitStaging(p, parent);
      assumeTrue(!ignoresSigint(p.pid()), "the child inherited an ignored SIGINT; cannot test SIGINT here");
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -INT");
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the process ends after SIGINT");
    } finally {
      p.destroyForcibly().waitFor();
    }
    assertFalse(Files.exists(out), "--out is not created by an interrupted run");
    assertEquals(List.of(), staged(parent), "SIGINT: the shutdown hook deletes the staging");
  }

  /** Old build: SIGKILL left DIR created and partly written. */
  @Test
  void sigkillLeavesOnlyStagingWhichTheNextRunCleans() throws Exception {
    Path parent = Files.createDirectories(tmp.resolve("kill"));
    Path out = parent.resolve("subject");
    Process p = startLongSynth(out);
    try {
      awaitStaging(p, parent);
    } finally {
      p.destroyForcibly().waitFor();
    }
    assertFalse(Files.exists(out), "--out is not created by a killed run");
    List<String> left = staged(parent);
    assertFalse(left.isEmpty(), "SIGKILL runs no hook: the staging stays until the next run");
    Cli next = Cli.run(smallSynth(out));
    assertEquals(0, next.status, next.toString());
    assertTrue(Files.exists(out.resolve(OutputDirectory.MARKER)), "the next run wrote its result");
    assertTrue(Files.exists(out.resolve("truth/ncsnr.npy")), "the next run wrote its result");
    assertEquals(List.of(), staged(parent), "the next run in the same directory deleted " + left);
  }

  /** Old build: map's NIfTI was 0600 while noise-ceiling's .npy was 0644 (umask 022). */
  @Test
  void niftiGetsTheSamePermissionsAsNpy() throws IOException {
    Path root = tmp.resolve("nsd");
    Cli s = Cli.run(smallSynth(root));
    assertEquals(0, s.status, s.toString());
    Path prepared = tmp.resolve("prepared");
    Cli p = Cli.run("prepare", "nsd", "--nsd-root", root.toString(), "--out", prepared.toString());
    assertEquals(0, p.status, p.toString());
    Path maps = Files.createDirectories(tmp.resolve("maps"));
    Cli m = Cli.run("map", "--values", prepared.resolve("ncsnr.npy").toString(), "--voxels",
        prepared.resolve("voxels.csv").toString(), "--like",
        root.resolve("nsddata/ppdata/subj01/func1pt8mm/brainmask.nii.gz").toString(), "--out",
        maps.resolve("ncsnr.nii.gz").toString());
    assertEquals(0, m.status, m.toString());
    Cli n = Cli.run("noise-ceiling", "--ncsnr", prepared.resolve("ncsnr.npy").toString(), "--trials", "3", "--out",
        maps.resolve("nc.npy").toString());
    assertEquals(0, n.status, n.toString());
    assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(maps.resolve("nc.npy"))),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(maps.resolve("ncsnr.nii.gz"))),
        "map's .nii.gz has the permissions of noise-ceiling's .npy");
  }

  // ---- the real jar in a subprocess ----

  private static Path jar() {
    for (Path p : List.of(Path.of("../runners/target/clipmsm.jar"), Path.of("runners/target/clipmsm.jar"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    assumeTrue(false, "runners/target/clipmsm.jar not built (from " + Path.of("").toAbsolutePath() + ")");
    return null;
  }

  /** {@code env --default-signal=INT} (coreutils >= 8.31) undoes a SIGINT ignored by whoever started the tests. */
  private static boolean envResetsSignals() {
    try {
      Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A synth that runs for minutes (it is stopped long before it ends). */
  private Process startLongSynth(Path out) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>();
    if (envResetsSignals()) {
      cmd.addAll(List.of("env", "--default-signal=INT"));
    }
    cmd.addAll(List.of(java.toString(), "-jar", jar().toString(), "synth", "nsd", "--out", out.toString(), "--images",
        "2000", "--sessions", "8", "--voxels", "300", "--grid", "30,30,30", "--image-size", "128"));
    Path log = tmp.resolve("child-" + out.getParent().getFileName() + ".log");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the child has staged its output beside {@code --out}, then lets it write for a moment. */
  private void awaitStaging(Process p, Path parent) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (staged(parent).isEmpty()) {
      if (!p.isAlive()) {
        Path log = tmp.resolve("child-" + parent.getFileName() + ".log");
        throw new AssertionError("the child ended (status " + p.exitValue() + ") before staging: "
            + Files.readString(log));
      }
      assertTrue(System.nanoTime() < deadline, "no .clipmsm-* staging in " + parent + " within 120 s");
      Thread.sleep(50);
    }
    Thread.sleep(1500);
    assertTrue(p.isAlive(), "the child still runs when it is stopped");
  }

  /** Whether SIGINT (signal 2) is in the process's ignored set. */
  private static boolean ignoresSigint(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2L) != 0;
      }
    }
    return false;
  }
}
