package org.clipmsm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * The private temporary directories of one command's embedded Flink cluster ({@code --flinkMaster=[local]}), and the
 * Flink configuration directory that points the cluster at them.
 *
 * <p>The cluster writes the RPC system's jar ({@code flink-rpc-akka<uuid>.jar}, 22 MB) and its working directory
 * ({@code minicluster_<id>}) under {@code io.tmp.dirs}, and the REST upload directory ({@code flink-web-upload})
 * under {@code web.tmpdir}; by default both are {@code java.io.tmpdir}. Beam shuts the cluster down asynchronously
 * and nobody waits for it, so a command that exits right after its pipeline left all three behind on every run.
 * Here each configured temporary directory gets one {@code clipmsm-flink-*} directory of its own (the user's
 * {@code io.tmp.dirs}, e.g. a big disk for spilling, is kept: the directories are created inside it);
 * {@link #close} waits briefly for Flink's own cleanup and then deletes them, and a shutdown hook deletes them if
 * the JVM is stopped first (SIGINT, SIGTERM).
 *
 * <p>One instance per command run (owned by its {@link RunnerOptions}): two commands run in one JVM do not share it.
 */
final class LocalFlinkTemp implements AutoCloseable {
  /** How long {@link #close} waits for the cluster's asynchronous shutdown (it took 0.1-1 s here). */
  private static final long CLOSE_TIMEOUT_MS = 10_000;

  private final List<Path> roots;
  private final Path confDir;
  private final Thread hook;
  private boolean closed;

  private LocalFlinkTemp(List<Path> roots, Path confDir, Thread hook) {
    this.roots = roots;
    this.confDir = confDir;
    this.hook = hook;
  }

  /**
   * Creates the directories and a configuration directory holding the user's Flink configuration (
   * {@code userConfDir} as given to {@code --flinkConfDir}, else {@code $FLINK_CONF_DIR} if set, as Beam reads it)
   * with {@code io.tmp.dirs} and {@code web.tmpdir} replaced by them; with {@code retries > 0} and no restart
   * strategy of the user's, a fixed-delay one of that many attempts: Beam applies {@code --numberOfExecutionRetries}
   * to streaming jobs only, and a batch job on the embedded cluster takes the cluster's.
   */
  static LocalFlinkTemp create(String userConfDir, int retries, long retryDelayMs) {
    boolean fromUser = userConfDir != null && !userConfDir.isEmpty();
    Configuration conf = fromUser ? GlobalConfiguration.loadConfiguration(userConfDir)
        : GlobalConfiguration.loadConfiguration();
    if (retries > 0 && !conf.contains(RestartStrategyOptions.RESTART_STRATEGY)) {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, retries);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
          java.time.Duration.ofMillis(Math.max(0, retryDelayMs)));
    }
    // The file name tells Flink how to parse it (1.19: flink-conf.yaml is the legacy "key: value" format, config.yaml
    // standard YAML); the configuration just loaded is written in the format it was read in.
    String confFile = GlobalConfiguration.isStandardYaml() ? "config.yaml" : "flink-conf.yaml";
    List<Path> created = new ArrayList<>();
    Path confDir;
    try {
      for (String base : ConfigurationUtils.parseTempDirectories(conf)) {
        created.add(Files.createTempDirectory(Files.createDirectories(Path.of(base)), "clipmsm-flink-"));
      }
      conf.set(CoreOptions.TMP_DIRS, created.stream().map(Path::toString).collect(Collectors.joining(",")));
      conf.set(WebOptions.TMP_DIR, created.get(0).toString());
      confDir = Files.createDirectories(created.get(0).resolve("conf"));
      Files.write(confDir.resolve(confFile), ConfigurationUtils.convertConfigToWritableLines(conf, false));
    } catch (IOException e) {
      created.forEach(LocalFlinkTemp::deleteQuietly);
      throw new UncheckedIOException("cannot create a temporary directory for the embedded Flink cluster: " + e, e);
    }
    List<Path> roots = List.copyOf(created);
    Thread hook = new Thread(() -> roots.forEach(LocalFlinkTemp::deleteQuietly), "clipmsm-flink-tmp-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    return new LocalFlinkTemp(roots, confDir, hook);
  }

  /** The Flink configuration directory, for {@code FlinkPipelineOptions.setFlinkConfDir}. */
  String confDir() {
    return confDir.toString();
  }

  /** Waits (at most 10 s) for the cluster's own shutdown to end, then deletes the directories. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + CLOSE_TIMEOUT_MS * 1_000_000;
    try {
      while (roots.stream().anyMatch(LocalFlinkTemp::flinkStillClosing) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    roots.forEach(LocalFlinkTemp::deleteQuietly);
    removeHook(hook);
  }

  /** MiniCluster.closeAsync deletes the RPC jar and, as its last step, its working directory. */
  private static boolean flinkStillClosing(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .anyMatch(n -> n.startsWith("minicluster_") || n.startsWith("flink-rpc-"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran) anyway
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a file Flink deletes at the same time: best effort
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }
}
