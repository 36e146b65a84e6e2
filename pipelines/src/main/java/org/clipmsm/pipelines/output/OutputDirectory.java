package org.clipmsm.pipelines.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;

/**
 * A result directory that holds one whole run or nothing new: every file is written into a hidden staging directory
 * beside the target, and only when the whole job has succeeded does the staging directory become the target (an
 * atomic rename; an earlier result there is replaced as a whole, so no file of an earlier run survives). On failure
 * the staging directory is deleted and the target is as it was, also if it did not exist. A result directory holds
 * the marker {@value #MARKER}; a non-empty directory without it is refused rather than replaced.
 *
 * <pre>{@code
 * try (OutputDirectory out = OutputDirectory.open(Path.of("fit"), List.of(features, responses))) {
 *   Npy.writeVector(out.file("r2.npy"), r2, Npy.DType.FLOAT64);
 *   out.commit();
 * }
 * }</pre>
 */
public final class OutputDirectory extends Staging {
  /** Marks a directory as a clipmsm result, which the next run into it may replace. */
  public static final String MARKER = ".clipmsm";

  private OutputDirectory(Path target, Collection<Path> inputs) {
    super(target, inputs, true);
  }

  /**
   * Stages a result for {@code target}, which may be absent, empty or an earlier result.
   *
   * @param inputs the job's inputs: none may lie inside the target, which the result replaces
   */
  public static OutputDirectory open(Path target, Collection<Path> inputs) {
    return new OutputDirectory(target, inputs);
  }

  public static OutputDirectory open(Path target) {
    return open(target, List.of());
  }

  /** Where a file of this name is staged. */
  public Path file(String name) {
    return staged.resolve(name);
  }

  /** The staging directory, which becomes the target on {@link #commit}. */
  public Path dir() {
    return staged;
  }

  @Override
  void publish() throws IOException {
    Files.writeString(staged.resolve(MARKER), "clipmsm result: the next run into this directory replaces it as a"
        + " whole\n", StandardCharsets.UTF_8);
    RunRecord run = RunRecord.of(target);
    if (run != null) {
      Manifest.write(staged.resolve(Manifest.FILE), run, inputs, staged);
    }
    Path previous = null;
    if (Files.exists(target)) {
      previous = staged.resolveSibling(staged.getFileName() + PREVIOUS);
      Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (previous != null) {
        Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    if (previous != null) {
      deleteTree(previous);
    }
  }
}
