package org.clipmsm.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.pipelines.output.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/** The {@code clipmsm} command line. Errors are one line on standard error and a non-zero exit. */
@Command(name = "clipmsm", mixinStandardHelpOptions = true, version = "clipmsm " + ClipMsm.VERSION,
    description = "CLIP-MSM voxel-wise encoding models on Apache Beam (DirectRunner or FlinkRunner).",
    subcommands = {DemoCommand.class, SynthCommand.class, PrepareCommand.class, EmbedCommand.class,
        EmbedTextCommand.class, SimilaritiesCommand.class, FitCommand.class, PredictCommand.class,
        SignificanceCommand.class, NoiseCeilingCommand.class, DissectCommand.class, NetDissectCommand.class,
        MapCommand.class, EvaluateCommand.class, ReportCommand.class, StudyCommands.Nsd.class,
        StudyCommands.Nod.class, VerifyCommand.class, BenchCommand.class})
public final class ClipMsm {
  static final String VERSION = "0.1.0";
  /** Exit status for bad input (files, fields, options). */
  static final int BAD_INPUT = 2;
  /** Exit status for any other failure. */
  static final int FAILED = 1;
  /** Held so that the level set on it is not lost when the logger is garbage-collected. */
  private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib");

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a command line and returns its exit status (for tests: no System.exit). What the command opened for its
   * runner (the embedded Flink cluster's temporary directories) is released before this returns.
   */
  public static int run(String... args) {
    quietLogging();
    String name = args.length > 0 && !args[0].startsWith("-") ? args[0] : "";
    Consumer<String> progress = line -> System.err.println("clipmsm " + name + ": " + line);
    RemoteArgs remote;
    try {
      remote = RemoteArgs.localize(args, RemoteArgs.pathOptions(commandLine(), args), progress);
    } catch (RuntimeException e) {
      return report(name, e);
    }
    CommandLine cl = commandLine(remote);
    try (remote) {
      int status = cl.execute(remote.args());
      if (status == 0) {
        remote.publish(progress);
      }
      return status;
    } catch (RuntimeException e) {
      return report(name, e);
    } finally {
      runnerOptions(cl).forEach(RunnerOptions::close);
    }
  }

  /** The command line, configured: error handling, and Beam options passed through where a pipeline runs. */
  public static CommandLine commandLine() {
    return commandLine(RemoteArgs.NONE);
  }

  private static CommandLine commandLine(RemoteArgs remote) {
    CommandLine cl = new CommandLine(new ClipMsm());
    cl.setUsageHelpWidth(110);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(cmd, e));
    cl.setParameterExceptionHandler((e, a) -> {
      // picocli's own messages may begin with "Error: ", which the line already says.
      String message = e.getMessage().replaceFirst("^Error: ", "");
      System.err.println("clipmsm " + e.getCommandLine().getCommandName() + ": error: " + message + " (see --help)");
      return BAD_INPUT;
    });
    // Commands that run a pipeline pass other Beam options (--name=value) through: picocli leaves them unmatched
    // for RunnerOptions to read. Every other command still rejects an unknown option.
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (RunnerOptions.of(sub.getCommandSpec()).isPresent()) {
        sub.setUnmatchedArgumentsAllowed(true);
      }
    }
    cl.setExecutionStrategy(parsed -> execute(parsed, remote));
    return cl;
  }

  /** The RunnerOptions of every subcommand (one instance each, owned by this command line). */
  static List<RunnerOptions> runnerOptions(CommandLine cl) {
    return cl.getSubcommands().values().stream().map(sub -> RunnerOptions.of(sub.getCommandSpec()))
        .flatMap(Optional::stream).toList();
  }

  /**
   * picocli's default strategy (run the last subcommand), after checking that the arguments left unmatched are
   * Beam options that Beam knows, also on the commands (bench fit, ...) that do not build their pipeline options.
   */
  private static int execute(ParseResult parsed, RemoteArgs remote) {
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) {
      return help;
    }
    ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    CommandLine cmd = last.commandSpec().commandLine();
    try {
      RunnerOptions.of(last.commandSpec()).ifPresent(RunnerOptions::validate);
    } catch (InvalidInputException e) {
      throw new CommandLine.ExecutionException(cmd, e.getMessage(), e);
    }
    CommandLine.Model.OptionSpec out = last.matchedOption("--out");
    if (out == null || out.getValue() == null) {
      return new CommandLine.RunLast().execute(parsed);
    }
    // A command that writes a result records its run, for the result's manifest.json (verify checks reruns by it).
    String runner = RunnerOptions.of(last.commandSpec()).map(RunnerOptions::describe).orElse("none");
    RunRecord.begin(new RunRecord(recorded(parsed.originalArgs(), remote.given()), Path.of(out.getValue().toString()),
        runner, versions(), remote.given()));
    try {
      return new CommandLine.RunLast().execute(parsed);
    } finally {
      RunRecord.end();
    }
  }

  /**
   * The command line as given, each argument that names an existing file or directory made absolute, each local
   * stand-in for a remote location ({@code locations}) the location again.
   */
  static List<String> recorded(List<String> args, Map<String, String> locations) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (a.startsWith("-") && eq > 0) {
        out.add(a.substring(0, eq + 1) + absolute(a.substring(eq + 1), locations));
      } else {
        out.add(a.startsWith("-") ? a : absolute(a, locations));
      }
    }
    return out;
  }

  private static String absolute(String value, Map<String, String> locations) {
    if (locations.containsKey(value)) {
      return locations.get(value);
    }
    try {
      Path p = Path.of(value);
      return !value.isEmpty() && !p.isAbsolute() && Files.exists(p) ? p.toAbsolutePath().normalize().toString()
          : value;
    } catch (InvalidPathException e) {
      return value;
    }
  }

  /**
   * The versions a manifest records, and the platform: floating-point kernels (OpenBLAS, ONNX Runtime) are chosen per
   * CPU, so results are byte-identical from run to run on one CPU model, not necessarily across models.
   */
  static Map<String, String> versions() {
    return Map.of("clipmsm", VERSION, "java", System.getProperty("java.version"),
        "beam", org.apache.beam.sdk.util.ReleaseInfo.getReleaseInfo().getVersion(),
        "flink", org.apache.flink.runtime.util.EnvironmentInformation.getVersion(), "platform", platform());
  }

  /** The OS, architecture and CPU (vendor, family, model, name from /proc/cpuinfo where there is one). */
  static String platform() {
    String cpu = "";
    try {
      Map<String, String> f = new java.util.HashMap<>();
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.isBlank()) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          f.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
      cpu = String.format(", %s family %s model %s (%s)", f.get("vendor_id"), f.get("cpu family"), f.get("model"),
          f.get("model name"));
    } catch (java.io.IOException e) {
      // not Linux: the OS and architecture say what they can
    }
    return System.getProperty("os.name") + " " + System.getProperty("os.arch") + cpu;
  }

  static int report(CommandLine cmd, Throwable e) {
    return report(cmd.getCommandName(), e, Flags.of(cmd));
  }

  /** A failure outside any one command's execution (copying remote inputs, publishing a result). */
  private static int report(String command, Throwable e) {
    return report(command, e, null);
  }

  private static int report(String command, Throwable e, Flags flags) {
    if (System.getenv("CLIPMSM_DEBUG") != null) {
      e.printStackTrace();
    }
    InvalidParameterException parameter = find(e, InvalidParameterException.class);
    if (parameter != null) {
      System.err.println("clipmsm " + command + ": error: " + (flags == null ? parameter.parameter()
          : flags.name(parameter.parameter())) + ": " + parameter.reason());
      return BAD_INPUT;
    }
    InvalidInputException bad = find(e, InvalidInputException.class);
    if (bad != null) {
      System.err.println("clipmsm " + command + ": error: " + bad.getMessage());
      return BAD_INPUT;
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof OutOfMemoryError) {
      System.err.println("clipmsm " + command + ": failed: out of memory (" + root.getMessage() + "); give Java more"
          + " heap, e.g. CLIPMSM_JAVA_OPTS=-Xmx16g, or use smaller --voxels-per-block");
      return FAILED;
    }
    System.err.println("clipmsm " + command + ": failed: " + root.getClass().getSimpleName() + ": "
        + RunnerOptions.firstLine(root.getMessage()) + " (set CLIPMSM_DEBUG=1 for the stack trace)");
    return FAILED;
  }

  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static void quietLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // The runners log a failed job's stack trace themselves; the command prints one line instead
    // (CLIPMSM_DEBUG=1 brings both back).
    String runnerLevel = System.getenv("CLIPMSM_DEBUG") != null ? "error" : "off";
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.flink", runnerLevel);
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink", runnerLevel);
    // The decomposition side input is Java-serialized once per run; Beam warns that it cannot check equals().
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.beam.sdk.coders.SerializableCoder", "error");
    // jHDF marks its (used, tested) writer as alpha on every file.
    setIfAbsent("org.slf4j.simpleLogger.log.io.jhdf", "error");
    NETLIB_LOG.setLevel(Level.WARNING);
    // DJL: no GPU here is not news, and loading a single model file (not an archive) is how models are given.
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.repository.SimpleRepository", "error");
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.onnxruntime.engine.OrtEngine", "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
