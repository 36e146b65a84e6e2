package org.clipmsm.pipelines.output;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a manifest says about the run that made a result besides its files: the command line (the parameters, as the
 * user gave them, paths made absolute), the result's location, the runner and the versions of what ran. The command
 * line sets it for the command being run ({@link #begin}); the result committed at {@link #out} then gets a
 * {@link Manifest}. Results committed elsewhere meanwhile (a study's nested outputs) get none.
 */
public record RunRecord(List<String> command, Path out, String runner, Map<String, String> versions,
    Map<String, String> locations) {
  private static volatile RunRecord current;

  /**
   * @param locations absolute local paths of this run that stand for remote locations (inputs copied here, a result
   *     to publish there; {@link RemoteFiles}) -> those locations, as the manifest names them
   */
  public RunRecord {
    command = List.copyOf(command);
    out = out.toAbsolutePath().normalize();
    versions = Map.copyOf(versions);
    locations = Map.copyOf(locations);
  }

  /** How the manifest names a path of this run: its remote location, or its absolute path. */
  String located(Path p) {
    String local = p.toAbsolutePath().normalize().toString();
    return locations.getOrDefault(local, local);
  }

  /** The run of this record is under way: the result committed at its {@code out} gets a manifest. */
  public static void begin(RunRecord r) {
    current = r;
  }

  /** No run is recorded any more. */
  public static void end() {
    current = null;
  }

  /** The record of the run under way whose result is {@code target}, or null. */
  static RunRecord of(Path target) {
    RunRecord r = current;
    return r != null && r.out().equals(target.toAbsolutePath().normalize()) ? r : null;
  }
}
