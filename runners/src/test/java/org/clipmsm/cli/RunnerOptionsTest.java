package org.clipmsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.WebOptions;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/** Beam options passed through, and the embedded Flink cluster's temporary directories: one set per command. */
class RunnerOptionsTest {
  @TempDir
  Path dir;

  /** Parses {@code fit} with these extra arguments and returns its RunnerOptions. */
  private static RunnerOptions fit(CommandLine cl, String... extra) {
    String[] base = {"fit", "--features", "x.npy", "--responses", "y.npy", "--out", "out"};
    String[] all = Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
    cl.parseArgs(all);
    return RunnerOptions.of(cl.getSubcommands().get("fit").getCommandSpec()).orElseThrow();
  }

  @Test
  void beamOptionsPassThroughToThePipelineOptions() {
    RunnerOptions r = fit(ClipMsm.commandLine(), "--jobName=passed", "--fasterCopy=true");
    PipelineOptions o = r.build();
    assertEquals("passed", o.getJobName());
    assertTrue(o.as(FlinkPipelineOptions.class).getFasterCopy());
  }

  @Test
  void otherArgumentsAreRejected() {
    RunnerOptions r = fit(ClipMsm.commandLine(), "--fasterCopy", "true");
    InvalidInputException e = assertThrows(InvalidInputException.class, r::build);
    assertTrue(e.getMessage().contains("'--fasterCopy'"), e.getMessage());
  }

  @Test
  void onlyCommandsThatRunAPipelineAcceptUnknownOptions() {
    CommandLine cl = ClipMsm.commandLine();
    for (var e : cl.getSubcommands().entrySet()) {
      boolean runs = RunnerOptions.of(e.getValue().getCommandSpec()).isPresent();
      assertEquals(runs, e.getValue().isUnmatchedArgumentsAllowed(), e.getKey());
    }
    assertThrows(UnmatchedArgumentException.class, () -> ClipMsm.commandLine().parseArgs("similarities",
        "--image-embeddings", "a.npy", "--text-embeddings", "b.npy", "--out", "p.npy", "--jobName=x"));
  }

  @Test
  void eachCommandLineHasItsOwnFlinkTemporaryDirectoriesDeletedOnClose() throws IOException {
    RunnerOptions a = fit(ClipMsm.commandLine(), "--runner", "FlinkRunner");
    RunnerOptions b = fit(ClipMsm.commandLine(), "--runner=FlinkRunner");
    Path confA = Path.of(a.build().as(FlinkPipelineOptions.class).getFlinkConfDir());
    Path confB = Path.of(b.build().as(FlinkPipelineOptions.class).getFlinkConfDir());
    Path rootA = confA.getParent();
    Path rootB = confB.getParent();
    assertFalse(rootA.equals(rootB));
    Configuration conf = GlobalConfiguration.loadConfiguration(confA.toString());
    assertEquals(rootA.toString(), conf.get(CoreOptions.TMP_DIRS));
    assertEquals(rootA.toString(), conf.get(WebOptions.TMP_DIR));
    assertTrue(rootA.getFileName().toString().startsWith("clipmsm-flink-"), rootA.toString());
    assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toRealPath(), rootA.getParent().toRealPath());
    Files.writeString(rootA.resolve("spill"), "x");
    a.close();
    assertFalse(Files.exists(rootA), "closed: deleted");
    assertTrue(Files.isDirectory(rootB), "another command's directory is untouched");
    a.close();
    b.close();
    assertFalse(Files.exists(rootB));
  }

  @Test
  void theUsersFlinkConfigurationIsKeptAndItsTemporaryDirectoriesHoldOurs() throws IOException {
    for (String file : List.of("config.yaml", "flink-conf.yaml")) {
      Path user = Files.createDirectories(dir.resolve(file + ".d"));
      Path disk1 = Files.createDirectories(dir.resolve(file + ".disk1"));
      Path disk2 = Files.createDirectories(dir.resolve(file + ".disk2"));
      Files.writeString(user.resolve(file), "taskmanager.numberOfTaskSlots: 3\nio.tmp.dirs: " + disk1 + "," + disk2
          + "\n");
      RunnerOptions r = fit(ClipMsm.commandLine(), "--runner", "FlinkRunner", "--flinkConfDir=" + user);
      String confDir = r.build().as(FlinkPipelineOptions.class).getFlinkConfDir();
      assertTrue(Files.isRegularFile(Path.of(confDir, file)), "written as the user's " + file);
      Configuration conf = GlobalConfiguration.loadConfiguration(confDir);
      assertEquals(3, conf.getInteger("taskmanager.numberOfTaskSlots", 0), file);
      String[] tmp = conf.get(CoreOptions.TMP_DIRS).split(",");
      assertEquals(2, tmp.length, file);
      assertEquals(disk1, Path.of(tmp[0]).getParent(), file);
      assertEquals(disk2, Path.of(tmp[1]).getParent(), file);
      r.close();
      for (Path d : List.of(disk1, disk2)) {
        try (Stream<Path> s = Files.list(d)) {
          assertEquals(0, s.count(), file + ": " + d + " emptied");
        }
      }
    }
  }

  @Test
  void aMissingFlinkConfDirIsBadInput() {
    RunnerOptions r = fit(ClipMsm.commandLine(), "--runner", "FlinkRunner",
        "--flinkConfDir=" + dir.resolve("missing"));
    InvalidInputException e = assertThrows(InvalidInputException.class, r::build);
    assertTrue(e.getMessage().startsWith("--flinkConfDir: "), e.getMessage());
  }
}
