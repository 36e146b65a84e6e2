package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.clipmsm.cli.ClipMsm;
import org.clipmsm.pipelines.DemoData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands leave nothing in {@code java.io.tmpdir} (the embedded Flink cluster's RPC jar, working and upload
 * directories; the shipped tiny CLIP; OnnxRuntime's native libraries), and the Beam options of the commands that run
 * a pipeline pass through while other unknown arguments are still rejected.
 */
class TempFilesTest {
  /** What clipmsm and the libraries it runs wrote into java.io.tmpdir before. */
  private static final List<String> OURS = List.of("flink-", "minicluster_", "clipmsm-", "onnxruntime-java");

  @TempDir
  static Path tmp;
  static Path data;
  static Path labels;

  @BeforeAll
  static void data() throws IOException {
    data = Files.createDirectories(tmp.resolve("data"));
    DemoData.write(data, 5, 400, 12, 60);
    labels = Files.writeString(tmp.resolve("labels.txt"), "face\nhouse\nfood\n");
  }

  private static String[] fit(Path out, String... extra) {
    String[] base = {"fit", "--features", data.resolve("features.npy").toString(), "--responses",
        data.resolve("responses.npy").toString(), "--out", out.toString(), "--voxels-per-block", "30"};
    return Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
  }

  /** Entries of java.io.tmpdir whose names clipmsm's runs used to leave there. */
  private static Set<String> ours() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> OURS.stream().anyMatch(n::startsWith))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * Runs a command in this JVM and asserts that it succeeded and left no new entry in java.io.tmpdir. Other
   * processes may be running clipmsm at the same time (their running commands hold a clipmsm-flink-* directory), so
   * a new entry counts only if it is still there a while later: whatever this run left stays until the JVM exits.
   */
  private static void assertLeavesNothing(String... args) throws Exception {
    Set<String> before = ours();
    Cli run = Cli.run(args);
    assertEquals(0, run.status, run.toString());
    Set<String> left = ours();
    left.removeAll(before);
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); !left.isEmpty()
        && System.nanoTime() < deadline; ) {
      Thread.sleep(500);
      left.retainAll(ours());
    }
    assertEquals(Set.of(), left, "left in java.io.tmpdir by " + String.join(" ", args));
  }

  @Test
  void flinkFitLeavesNothingInTmp() throws Exception {
    assertLeavesNothing(fit(tmp.resolve("flink"), "--runner", "FlinkRunner", "--jobName=temp-files-test"));
  }

  @Test
  void tinyClipLeavesNothingInTmp() throws Exception {
    assertLeavesNothing("embed-text", "--labels", labels.toString(), "--model", "tiny-clip", "--out",
        tmp.resolve("text.npy").toString());
  }

  /**
   * The whole process, as a user runs it, with a java.io.tmpdir of its own, which is empty after it exited: the
   * embedded Flink cluster shuts down asynchronously, after the command, and OnnxRuntime's temporary directory is
   * deleted at exit, so neither shows in this JVM.
   */
  @Test
  void aProcessLeavesItsTmpEmpty() throws Exception {
    Path own = Files.createDirectories(tmp.resolve("process-tmp"));
    runProcess(own, fit(tmp.resolve("process-flink"), "--runner", "FlinkRunner"));
    runProcess(own, "embed-text", "--labels", labels.toString(), "--model", "tiny-clip", "--format", "onnx",
        "--out", tmp.resolve("process-text.npy").toString());
  }

  private static void runProcess(Path tmpdir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Flink and Beam need the same opened JDK internals as this JVM (the jar's manifest opens them for java -jar).
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens"))
        .forEach(cmd::add);
    cmd.add("-Djava.io.tmpdir=" + tmpdir);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ClipMsm.class.getName());
    cmd.addAll(List.of(args));
    Path log = tmp.resolve("process.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + output);
    try (Stream<Path> s = Files.list(tmpdir)) {
      assertEquals(List.of(), s.map(Path::getFileName).map(Path::toString).sorted().toList(),
          "left in java.io.tmpdir by " + String.join(" ", args));
    }
  }

  @Test
  void beamOptionsPassThrough() throws IOException {
    Cli run = Cli.run(fit(tmp.resolve("direct"), "--fasterCopy=true", "--jobName=x"));
    assertEquals(0, run.status, run.toString());
    // Beam itself reads them: an option it does not know is its error, not picocli's.
    Path out = tmp.resolve("unknown-beam-option");
    Cli.assertRejected(out, "notABeamOption", fit(out, "--notABeamOption=1"));
  }

  @Test
  void otherUnknownArgumentsAreRejected() throws IOException {
    Path out = tmp.resolve("rejected");
    Cli.assertRejected(out, "'stray'", fit(out, "stray"));
    Cli.assertRejected(out, "'--fasterCopy'", fit(out, "--fasterCopy", "true"));
    Cli.assertRejected(out, "'stray'", "bench", "fit", "stray");
    // Commands that run no pipeline take no Beam options.
    Cli.assertRejected(out, "Unknown option: '--jobName=x'", "similarities", "--image-embeddings", "a.npy",
        "--text-embeddings", "b.npy", "--out", out.resolve("p.npy").toString(), "--jobName=x");
    Cli.assertRejected(out, "Unknown option: '--fasterCopy=true'", "map", "--values", "v.npy", "--voxels",
        "voxels.csv", "--like", "x", "--out", out.resolve("m.nii.gz").toString(), "--fasterCopy=true");
  }
}
