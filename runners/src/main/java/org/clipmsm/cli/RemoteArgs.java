package org.clipmsm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.clipmsm.InvalidInputException;
import org.clipmsm.pipelines.output.Manifest;
import org.clipmsm.pipelines.output.RemoteFiles;
import org.clipmsm.pipelines.output.Trees;

/**
 * A command line whose values name locations of Beam's filesystems ({@code gs://...}, {@code s3://...},
 * {@code hdfs://...}): each input is copied into a work directory of the run's own before the command runs, and the
 * command sees local paths; a remote {@code --out} becomes a local one there, and the result is published to the
 * remote location after the command succeeded ({@link RemoteFiles#publish}). The work directory is deleted when the
 * run ends, also on SIGINT or SIGTERM.
 */
final class RemoteArgs implements AutoCloseable {
  /** A command line without remote values: nothing to do. */
  static final RemoteArgs NONE = new RemoteArgs(new String[0], null, null, null, null, Map.of());

  private final String[] args;
  private final Path work;
  private final Path localOut;
  private final String remoteOut;
  private final Map<String, String> given;
  private final Thread cleanup;

  private RemoteArgs(String[] args, Path work, Thread cleanup, Path localOut, String remoteOut,
      Map<String, String> given) {
    this.args = args;
    this.work = work;
    this.cleanup = cleanup;
    this.localOut = localOut;
    this.remoteOut = remoteOut;
    this.given = Map.copyOf(given);
  }

  /**
   * Copies the remote inputs of {@code args} and returns the command line with local paths in their place. Only the
   * values of the command's own path options ({@code pathOptions}) are locations to copy: a Beam or Flink option
   * whose value is a URI (a temp location, a savepoint path) passes through. The filesystems are configured from the
   * Beam options among the arguments ({@code --name=value}: credentials, regions).
   */
  static RemoteArgs localize(String[] args, Set<String> pathOptions, Consumer<String> progress) {
    List<Integer> remote = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (RemoteFiles.isRemote(value(args[i])) && pathOptions.contains(option(args, i))) {
        if (option(args, i).equals("--run")) {
          throw new InvalidInputException(value(args[i]) + ": --run is read and written in place (evaluation/,"
              + " report/), so it must be a local directory; copy the run here first");
        }
        remote.add(i);
      }
    }
    if (remote.isEmpty()) {
      return new RemoteArgs(args, null, null, null, null, Map.of());
    }
    List<String> beamArgs = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--") && a.contains("=")) {
        beamArgs.add(a);
      }
    }
    RemoteFiles.configure(PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0])).withoutStrictParsing()
        .create());
    Path work;
    try {
      String base = System.getenv("CLIPMSM_WORK_DIR");
      work = (base == null ? Files.createTempDirectory("clipmsm-remote-")
          : Files.createTempDirectory(Files.createDirectories(Path.of(base)), "clipmsm-remote-"))
          .toAbsolutePath().normalize();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    // From here on, an interrupted copy leaves nothing behind either.
    Thread cleanup = new Thread(() -> Trees.delete(work));
    Runtime.getRuntime().addShutdownHook(cleanup);
    String[] local = args.clone();
    Map<String, String> given = new LinkedHashMap<>();
    Path localOut = null;
    String remoteOut = null;
    RemoteArgs result = null;
    try {
      for (int k = 0; k < remote.size(); k++) {
        int i = remote.get(k);
        String location = value(args[i]);
        String option = option(args, i);
        Path dir = work.resolve(Integer.toString(k));
        Path path;
        if (option.equals("--out")) {
          RemoteFiles.checkTarget(location);
          Files.createDirectories(dir);
          path = dir.resolve(location.replaceAll("/+$", "").replaceAll(".*/", ""));
          localOut = path;
          remoteOut = location;
        } else if (option.equals("--manifest")) {
          path = manifestWithResult(location, dir, progress);
        } else {
          path = RemoteFiles.download(location, dir, progress);
        }
        String localValue = path.toAbsolutePath().normalize().toString();
        local[i] = args[i].startsWith("--") ? args[i].substring(0, args[i].indexOf('=') + 1) + localValue : localValue;
        given.put(localValue, location);
      }
      result = new RemoteArgs(local, work, cleanup, localOut, remoteOut, given);
      return result;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      if (result == null) {
        Trees.delete(work);
        Runtime.getRuntime().removeShutdownHook(cleanup);
      }
    }
  }

  /**
   * A manifest and the result beside it, which verify checks: the directory holding {@code manifest.json}, or
   * {@code NAME} and {@code NAME.manifest.json} (not the rest of the folder they are in).
   */
  private static Path manifestWithResult(String location, Path dir, Consumer<String> progress) {
    String parent = location.substring(0, location.lastIndexOf('/'));
    String name = location.substring(location.lastIndexOf('/') + 1);
    if (name.equals(Manifest.FILE)) {
      return RemoteFiles.download(parent, dir, progress).resolve(name);
    }
    Path manifest = RemoteFiles.download(location, dir, progress);
    String suffix = ".manifest.json";
    if (name.endsWith(suffix)) {
      String result = parent + "/" + name.substring(0, name.length() - suffix.length());
      if (RemoteFiles.exists(result)) {
        RemoteFiles.download(result, dir, progress);
      }
    }
    return manifest;
  }

  /** The command line to run: local paths where remote locations were given. */
  String[] args() {
    return args;
  }

  /** Local paths of this run -> the remote locations they stand for, for the manifest. */
  Map<String, String> given() {
    return given;
  }

  /** After the command succeeded: publishes its result at the remote {@code --out}, if there is one. */
  void publish(Consumer<String> progress) {
    if (remoteOut != null) {
      RemoteFiles.publish(localOut, remoteOut, progress);
    }
  }

  @Override
  public void close() {
    if (work != null) {
      Trees.delete(work);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs anyway
      }
    }
  }

  /**
   * The names of the path options (type Path, or a list or array of them) of the (sub)command {@code args} call,
   * from the command line's model.
   */
  static Set<String> pathOptions(picocli.CommandLine root, String[] args) {
    picocli.CommandLine cl = root;
    for (int i = 0; i < args.length && cl.getSubcommands().containsKey(args[i]); i++) {
      cl = cl.getSubcommands().get(args[i]);
    }
    Set<String> names = new java.util.HashSet<>();
    for (picocli.CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
      Class<?>[] aux = o.auxiliaryTypes();
      if (o.type() == Path.class || (aux.length > 0 && aux[0] == Path.class)) {
        names.addAll(List.of(o.names()));
      }
    }
    return names;
  }

  /** The value of an argument: after '=' for {@code --name=value}, else the argument itself. */
  private static String value(String arg) {
    int eq = arg.indexOf('=');
    return arg.startsWith("--") && eq > 0 ? arg.substring(eq + 1) : arg;
  }

  /** The option a value belongs to: {@code --name} of {@code --name=value}, or the argument before it. */
  private static String option(String[] args, int i) {
    if (args[i].startsWith("--") && args[i].contains("=")) {
      return args[i].substring(0, args[i].indexOf('='));
    }
    return i > 0 && args[i - 1].startsWith("--") ? args[i - 1] : "";
  }
}
