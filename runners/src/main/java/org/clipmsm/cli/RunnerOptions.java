package org.clipmsm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.clipmsm.InvalidInputException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runner selection shared by every command that runs a pipeline: DirectRunner (default, in this JVM) or FlinkRunner
 * (embedded local cluster with {@code --flinkMaster=[local]}, the default, or a remote JobManager host:port). Any
 * other Beam option passes through as {@code --name=value}: picocli leaves it unmatched (ClipMsm allows unmatched
 * arguments on exactly the commands that mix this in; picocli fills no {@code @Unmatched} field of a mixin, so they
 * are read from the command's own spec).
 *
 * <p>An instance belongs to one parsed command line, and so does what it opens: the embedded Flink cluster's
 * temporary directories ({@link LocalFlinkTemp}), which ClipMsm closes when the command is done ({@link #close}).
 */
public final class RunnerOptions implements AutoCloseable {
  @Option(names = "--runner", paramLabel = "RUNNER", defaultValue = "DirectRunner",
      description = "DirectRunner (default) or FlinkRunner.")
  String runner;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Parallel workers (Direct: threads; Flink: task slots). Default 1 on the local runners: each"
          + " block's matrix products already use every core through OpenBLAS, and more workers oversubscribe them.")
  Integer parallelism;

  @Option(names = {"--flinkMaster", "--flink-master"}, paramLabel = "HOST:PORT", defaultValue = "[local]",
      description = "FlinkRunner only: [local] (embedded cluster, default) or a JobManager address.")
  String flinkMaster;

  /** The command this is mixed into: its unmatched arguments are the Beam options. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Opened by the first {@link #build} of a FlinkRunner on [local], closed by {@link #close}. */
  private LocalFlinkTemp flinkTemp;

  /** The RunnerOptions mixed into a command, if it has them. */
  static Optional<RunnerOptions> of(CommandSpec spec) {
    return spec.mixins().values().stream().map(CommandSpec::userObject).filter(RunnerOptions.class::isInstance)
        .map(RunnerOptions.class::cast).findFirst();
  }

  /**
   * The other Beam options, as given ({@code --name=value}).
   *
   * @throws InvalidInputException for an argument of another form (a typo, or a value without its option)
   */
  List<String> beamArgs() {
    List<String> args = command.commandLine().getUnmatchedArguments();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new InvalidInputException("unknown argument '" + a + "' (other Beam options are written --name=value;"
            + " see --help)");
      }
    }
    return args;
  }

  /** Checks that the unmatched arguments are Beam options Beam knows, also where no pipeline is built. */
  void validate() {
    List<String> args = beamArgs();
    if (!args.isEmpty()) {
      try {
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create();
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(firstLine(e.getMessage()), e);
      }
    }
  }

  /** The runner as a manifest records it: its name, the cluster for a FlinkRunner, the parallelism when given. */
  String describe() {
    String where = runner.equals("FlinkRunner") ? " " + flinkMaster : "";
    return runner + where + (parallelism != null ? ", parallelism " + parallelism : "");
  }

  /** Pipeline options for the chosen runner. */
  PipelineOptions build() {
    List<String> args = new ArrayList<>(beamArgs());
    if (!runner.equals("DirectRunner") && !runner.equals("FlinkRunner")) {
      throw new InvalidInputException("--runner: expected DirectRunner or FlinkRunner, got " + runner);
    }
    if (parallelism != null && parallelism < 1) {
      throw new InvalidInputException("--parallelism: expected a positive number of workers, got " + parallelism);
    }
    args.add("--runner=" + runner);
    PipelineOptions o;
    try {
      o = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(firstLine(e.getMessage()), e);
    }
    if (runner.equals("DirectRunner")) {
      DirectOptions d = o.as(DirectOptions.class);
      d.setTargetParallelism(parallelism != null ? parallelism : 1);
      // Elements here are blocks of whole voxel columns (tens of MB): the runner's defensive re-encoding of each
      // would triple the time; our DoFns never mutate their inputs.
      d.setEnforceImmutability(false);
      d.setEnforceEncodability(false);
    } else {
      FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
      f.setFlinkMaster(flinkMaster);
      if (parallelism != null) {
        f.setParallelism(parallelism);
      } else if (flinkMaster.equals("[local]")) {
        f.setParallelism(1);
      }
      if (!flinkMaster.equals("[local]") && f.getFilesToStage() == null) {
        f.setFilesToStage(ClassPathJars.toStage());
      }
      if (flinkMaster.equals("[local]")) {
        f.setFlinkConfDir(localFlinkTemp(f.getFlinkConfDir(), f.getNumberOfExecutionRetries(),
            f.getExecutionRetryDelay()).confDir());
      }
      f.setObjectReuse(true);
    }
    return o;
  }

  /** This command's temporary directories for the embedded Flink cluster, created on first use. */
  private synchronized LocalFlinkTemp localFlinkTemp(String userConfDir, Integer retries, Long retryDelayMs) {
    if (flinkTemp == null) {
      try {
        flinkTemp = LocalFlinkTemp.create(userConfDir, retries == null ? -1 : retries,
            retryDelayMs == null ? -1 : retryDelayMs);
      } catch (IllegalConfigurationException e) {
        throw new InvalidInputException("--flinkConfDir: " + firstLine(e.getMessage()), e);
      }
    }
    return flinkTemp;
  }

  /**
   * Releases what {@link #build} opened: waits briefly for the embedded Flink cluster's asynchronous shutdown, then
   * deletes its temporary directories. Idempotent; a no-op unless a FlinkRunner on [local] was built.
   */
  @Override
  public synchronized void close() {
    if (flinkTemp != null) {
      flinkTemp.close();
      flinkTemp = null;
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
