package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.clipmsm.pipelines.output.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs and results at a location of Beam's FileSystems that is not a local path, here {@link TestObjectStore} (an
 * object store's semantics over a local directory, registered as gs, s3 or hdfs modules register): inputs are copied
 * in, the result is published with the local commit's promise (replaced as a whole; a failed run or a failed publish
 * leaves the target as it was), the manifest names the remote locations, and verify reruns from them.
 */
class RemoteLocationsTest {
  @TempDir
  static Path tmp;
  static Path store;

  @BeforeAll
  static void data() throws IOException {
    store = tmp.resolve("store");
    TestObjectStore.root = store;
    VerifyEndToEndTest.writeFitInputs(Files.createDirectories(store.resolve("bucket/in")), 5);
  }

  @AfterEach
  void noFault() {
    TestObjectStore.renamesBeforeFailure.set(Integer.MAX_VALUE);
  }

  static Cli fit(String out) {
    return Cli.run("fit", "--features", "teststore://bucket/in/X.npy", "--responses", "teststore://bucket/in/Y.npy",
        "--significance", "--out", out);
  }

  /** Every object under a directory of the store (or a local tree): relative name -> bytes. */
  static Map<String, byte[]> objects(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    if (!Files.exists(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }

  static long workDirs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("clipmsm-remote-")).count();
    }
  }

  @Test
  void aFitFromTheStoreToTheStoreEqualsTheLocalFitAndItsManifestNamesTheLocations() throws Exception {
    long before = workDirs();
    Path local = tmp.resolve("local-fit");
    StudyEndToEndTest.ok("fit", "--features", store.resolve("bucket/in/X.npy").toString(), "--responses",
        store.resolve("bucket/in/Y.npy").toString(), "--significance", "--out", local.toString());
    Cli run = fit("teststore://bucket/runs/fit");
    assertEquals(0, run.status, run.toString());
    assertTrue(run.err.contains("downloaded teststore://bucket/in/Y.npy"), run.err);
    assertTrue(run.err.contains("published teststore://bucket/runs/fit"), run.err);

    Map<String, byte[]> remote = objects(store.resolve("bucket/runs/fit"));
    Map<String, byte[]> expected = objects(local);
    assertEquals(expected.keySet(), remote.keySet());
    for (String name : expected.keySet()) {
      if (!name.equals(Manifest.FILE)) {
        assertArrayEquals(expected.get(name), remote.get(name), name);
      }
    }
    Manifest.Contents m = Manifest.read(store.resolve("bucket/runs/fit").resolve(Manifest.FILE));
    assertEquals("teststore://bucket/runs/fit", m.out());
    assertEquals(List.of("teststore://bucket/in/X.npy", "teststore://bucket/in/Y.npy"),
        List.copyOf(m.inputs().keySet()));
    assertTrue(m.command().contains("teststore://bucket/in/Y.npy"), m.command().toString());
    assertEquals(Manifest.read(local.resolve(Manifest.FILE)).outputs(), m.outputs());
    try (Stream<Path> s = Files.list(store.resolve("bucket/runs"))) {
      assertEquals(List.of("fit"), s.map(p -> p.getFileName().toString()).toList(), "no staging left beside it");
    }
    assertEquals(before, workDirs(), "the run's local work directory is gone");

    // verify brings the result and the inputs back from the store, and reruns from the recorded locations.
    Cli verify = Cli.run("verify", "--manifest", "teststore://bucket/runs/fit/manifest.json");
    assertEquals(0, verify.status, verify.toString());
    assertTrue(verify.out.contains("the rerun reproduces all"), verify.out);
  }

  @Test
  void aRerunReplacesAnEarlierResultAsAWhole() throws Exception {
    Files.createDirectories(store.resolve("bucket/again/fit"));
    Files.writeString(store.resolve("bucket/again/fit/.clipmsm"), "clipmsm result");
    Files.writeString(store.resolve("bucket/again/fit/stale.npy"), "from an earlier run");
    Cli run = fit("teststore://bucket/again/fit");
    assertEquals(0, run.status, run.toString());
    Map<String, byte[]> now = objects(store.resolve("bucket/again/fit"));
    assertFalse(now.containsKey("stale.npy"), now.keySet().toString());
    assertTrue(now.containsKey("weights.npy") && now.containsKey(Manifest.FILE), now.keySet().toString());
    try (Stream<Path> s = Files.list(store.resolve("bucket/again"))) {
      assertEquals(List.of("fit"), s.map(p -> p.getFileName().toString()).toList(), "no staging left");
    }
  }

  @Test
  void aPublishThatFailsLeavesTheEarlierResultAsItWas() throws Exception {
    Cli first = fit("teststore://bucket/fail/fit");
    assertEquals(0, first.status, first.toString());
    Map<String, byte[]> earlier = objects(store.resolve("bucket/fail"));
    int files = earlier.size();
    // Fails while the earlier result moves aside; then while the new one moves in, its manifest not yet there.
    for (int renames : new int[] {3, files + 4}) {
      TestObjectStore.renamesBeforeFailure.set(renames);
      Cli run = fit("teststore://bucket/fail/fit");
      TestObjectStore.renamesBeforeFailure.set(Integer.MAX_VALUE);
      assertEquals(1, run.status, run.toString());
      assertTrue(run.err.contains("teststore://bucket/fail/fit: could not publish the result, left as it was"),
          run.err);
      assertFalse(run.err.contains("\tat "), "no stack trace: " + run.err);
      Map<String, byte[]> after = objects(store.resolve("bucket/fail"));
      assertEquals(earlier.keySet(), after.keySet(), "after a failure at rename " + renames);
      for (String name : earlier.keySet()) {
        assertArrayEquals(earlier.get(name), after.get(name), name);
      }
    }
  }

  @Test
  void aTargetThatIsNotAResultIsRefusedBeforeAnythingRuns() throws Exception {
    Files.createDirectories(store.resolve("bucket/data"));
    Files.writeString(store.resolve("bucket/data/notes.txt"), "mine");
    Cli.assertRejected("teststore://bucket/data: exists and is not a clipmsm result", "fit", "--features",
        "teststore://bucket/in/X.npy", "--responses", "teststore://bucket/in/Y.npy", "--out", "teststore://bucket/data");
    assertEquals(List.of("notes.txt"), List.copyOf(objects(store.resolve("bucket/data")).keySet()));
  }

  @Test
  void aMissingInputOrAnUnknownSchemeIsOneLineNamingIt() throws Exception {
    Cli.assertRejected("teststore://bucket/in/missing.npy: no such file or directory", "fit", "--features",
        "teststore://bucket/in/X.npy", "--responses", "teststore://bucket/in/missing.npy", "--out",
        tmp.resolve("never").toString());
    assertFalse(Files.exists(tmp.resolve("never")));
    Cli.assertRejected("nosuchfs://bucket/X.npy: no filesystem for this scheme", "fit", "--features",
        "nosuchfs://bucket/X.npy",
        "--responses", "teststore://bucket/in/Y.npy", "--out", tmp.resolve("never").toString());
  }

  @Test
  void aFolderHoldingResultsIsNotItselfAResultAndIsRefused() throws Exception {
    Cli first = fit("teststore://bucket/results/fit1");
    assertEquals(0, first.status, first.toString());
    Map<String, byte[]> before = objects(store.resolve("bucket/results"));
    Cli.assertRejected("teststore://bucket/results: exists and is not a clipmsm result", "fit", "--features",
        "teststore://bucket/in/X.npy", "--responses", "teststore://bucket/in/Y.npy", "--out",
        "teststore://bucket/results");
    Map<String, byte[]> after = objects(store.resolve("bucket/results"));
    assertEquals(before.keySet(), after.keySet(), "the result inside is untouched");
  }

  @Test
  void onlyTheCommandsOwnPathsAreCopiedAndARemoteRunDirectoryIsRefused() throws Exception {
    // A Beam option whose value is a URI (here a temp location where nothing is) passes through untouched.
    Path local = tmp.resolve("fit-with-temp-location");
    Cli run = Cli.run("fit", "--features", "teststore://bucket/in/X.npy", "--responses",
        "teststore://bucket/in/Y.npy", "--out", local.toString(), "--tempLocation=teststore://bucket/nothing-here");
    assertEquals(0, run.status, run.toString());
    assertFalse(run.err.contains("nothing-here"), run.err);
    Cli.assertRejected("--run is read and written in place", "report", "--run", "teststore://bucket/some-run");
  }
}
