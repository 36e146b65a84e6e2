package org.clipmsm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.clipmsm.InvalidInputException;
import org.clipmsm.pipelines.output.Manifest;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.pipelines.output.RemoteFiles;
import org.clipmsm.pipelines.output.Trees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Checks a run against its manifest.json and reruns it to check that it reproduces.",
        "First the result beside the manifest (when it is there: DIR/manifest.json of a directory result, or",
        "NAME.manifest.json beside a file result), file by file; then the inputs, which must be unchanged; then the",
        "recorded command line, rerun into a temporary directory, whose every output must have the recorded SHA-256.",
        "Exit 0 when everything matches; 1 naming the first file that differs (outputs in path order)."})
final class VerifyCommand implements Callable<Integer> {
  static final int DIFFERS = 1;

  @Option(names = "--manifest", paramLabel = "FILE", description = "A manifest.json written by a clipmsm command (or a"
      + " copy of one, e.g. committed beside the data).")
  Path manifest;

  @Option(names = "--platform", description = "Print this machine's platform as manifests record it, and exit:"
      + " results are byte-identical on the same CPU model (floating-point kernels are chosen per CPU).")
  boolean platform;

  @Option(names = "--no-rerun", description = "Check the result and the inputs only.")
  boolean noRerun;

  @Override
  public Integer call() throws IOException {
    if (platform) {
      System.out.println(ClipMsm.platform());
      return 0;
    }
    if (manifest == null) {
      throw new InvalidInputException("--manifest: expected the manifest to verify (or --platform)");
    }
    Manifest.Contents m = Manifest.read(manifest);
    Path result = resultBeside(manifest);
    if (result != null) {
      String diff = firstDifference(m.outputs(), Manifest.outputs(result));
      if (diff != null) {
        System.err.println("clipmsm verify: " + result + ": " + diff);
        return DIFFERS;
      }
      System.out.printf("verify: %s: %d outputs as the manifest records them%n", result, m.outputs().size());
    }
    Path tmp = Files.createTempDirectory("clipmsm-verify-");
    try {
      int k = 0;
      for (Map.Entry<String, String> in : m.inputs().entrySet()) {
        String location = in.getKey();
        Path p = RemoteFiles.isRemote(location) ? fetch(location, tmp.resolve("input-" + k++)) : Path.of(location);
        if (!Files.exists(p)) {
          throw new InvalidInputException(p + ": an input of the run, not found (expected it where the run read it)");
        }
        if (!Manifest.digest(p).equals(in.getValue())) {
          System.err.println("clipmsm verify: input " + location + " changed since the run (its SHA-256 differs from"
              + " the manifest's)");
          return DIFFERS;
        }
      }
      if (noRerun) {
        return 0;
      }
      Path out = tmp.resolve("rerun").resolve(Path.of(m.out()).getFileName());
      Files.createDirectories(out.getParent());
      List<String> args = withOut(m.command(), out);
      System.out.println("verify: rerunning clipmsm " + String.join(" ", args));
      int status = ClipMsm.run(args.toArray(String[]::new));
      if (status != 0) {
        System.err.println("clipmsm verify: the rerun failed (exit status " + status + ")");
        return DIFFERS;
      }
      String diff = firstDifference(m.outputs(), Manifest.outputs(out));
      if (diff != null) {
        String recorded = m.versions().getOrDefault("platform", "an unrecorded platform");
        System.err.println("clipmsm verify: the rerun's " + diff + (recorded.equals(ClipMsm.platform()) ? ""
            : "; the manifest was written on " + recorded + ", this is " + ClipMsm.platform()
            + " (floating-point kernels are chosen per CPU)"));
        return DIFFERS;
      }
      System.out.printf("verify: the rerun reproduces all %d outputs byte for byte (SHA-256)%n",
          m.outputs().size());
      return 0;
    } finally {
      Trees.delete(tmp);
    }
  }

  /** A remote input of the run (a location of Beam's filesystems), copied here to be digested. */
  private static Path fetch(String location, Path dir) {
    RemoteFiles.configureIfNeeded(PipelineOptionsFactory.create());
    return RemoteFiles.download(location, dir, line -> System.err.println("clipmsm verify: " + line));
  }

  /** The result whose manifest this is, if it is there: the directory holding manifest.json, or the file beside. */
  static Path resultBeside(Path manifest) {
    Path dir = manifest.toAbsolutePath().getParent();
    String name = manifest.getFileName().toString();
    if (name.equals(Manifest.FILE) && Files.isRegularFile(dir.resolve(OutputDirectory.MARKER))) {
      return dir;
    }
    String suffix = ".manifest.json";
    if (name.endsWith(suffix) && Files.isRegularFile(dir.resolve(name.substring(0, name.length() - suffix.length())))) {
      return dir.resolve(name.substring(0, name.length() - suffix.length()));
    }
    return null;
  }

  /** The recorded command line with its result sent to {@code out}. */
  static List<String> withOut(List<String> command, Path out) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      String a = command.get(i);
      if (a.equals("--out") && i + 1 < command.size()) {
        args.add(a);
        args.add(out.toString());
        i++;
      } else if (a.startsWith("--out=")) {
        args.add("--out=" + out);
      } else {
        args.add(a);
      }
    }
    return args;
  }

  /** The first output, in path order, that is missing, extra or different; null if none. */
  static String firstDifference(Map<String, String> expected, Map<String, String> found) {
    TreeSet<String> names = new TreeSet<>(expected.keySet());
    names.addAll(found.keySet());
    for (String name : names) {
      String e = expected.get(name);
      String f = found.get(name);
      if (f == null) {
        return name + " is missing";
      }
      if (e == null) {
        return name + " is not in the manifest";
      }
      if (!e.equals(f)) {
        return name + " differs (SHA-256 " + f + ", the manifest says " + e + ")";
      }
    }
    return null;
  }
}
