package org.clipmsm.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.clipmsm.InvalidInputException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Runner selection shared by every command that runs a pipeline: DirectRunner (default, in this JVM) or FlinkRunner
 * (embedded local cluster with {@code --flinkMaster=[local]}, the default, or a remote JobManager host:port). Any
 * other Beam option passes through as {@code --name=value}.
 */
public final class RunnerOptions {
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

  @Unmatched
  List<String> beamArgs = new ArrayList<>();

  /** Pipeline options for the chosen runner. */
  PipelineOptions build() {
    for (String a : beamArgs) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new InvalidInputException("unknown argument '" + a + "' (other Beam options are written --name=value;"
            + " see --help)");
      }
    }
    if (!runner.equals("DirectRunner") && !runner.equals("FlinkRunner")) {
      throw new InvalidInputException("--runner: expected DirectRunner or FlinkRunner, got " + runner);
    }
    if (parallelism != null && parallelism < 1) {
      throw new InvalidInputException("--parallelism: expected a positive number of workers, got " + parallelism);
    }
    List<String> args = new ArrayList<>(beamArgs);
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
      f.setObjectReuse(true);
    }
    return o;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
