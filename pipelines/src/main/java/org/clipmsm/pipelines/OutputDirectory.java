package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;

/**
 * A command's output directory that is never left half-written: every file is written into a hidden staging
 * directory inside it, and only when the whole job has succeeded are the files moved into place (each by an atomic
 * rename). On failure the staging directory is deleted and the directory keeps what it had before.
 */
public final class OutputDirectory implements AutoCloseable {
  private final Path target;
  private final Path staging;
  /** Whether this job created the target directory (then a failed job removes it again). */
  private final boolean created;
  private boolean committed;

  private OutputDirectory(Path target, Path staging, boolean created) {
    this.target = target;
    this.staging = staging;
    this.created = created;
  }

  public static OutputDirectory open(Path target, String command) {
    try {
      if (Files.exists(target) && !Files.isDirectory(target)) {
        throw new InvalidInputException("--out " + target + ": exists and is not a directory");
      }
      boolean created = !Files.exists(target);
      Files.createDirectories(target);
      Path staging = Files.createTempDirectory(target, ".clipmsm-" + command + "-");
      return new OutputDirectory(target, staging, created);
    } catch (IOException e) {
      throw new InvalidInputException("--out " + target + ": cannot create the output directory (" + e.getMessage()
          + ")", e);
    }
  }

  /** Where a file of this name is staged. */
  public Path file(String name) {
    return staging.resolve(name);
  }

  public Path staging() {
    return staging;
  }

  /** Moves every staged file into the target directory. */
  public List<Path> commit() {
    try (Stream<Path> files = Files.list(staging)) {
      List<Path> staged = files.sorted().toList();
      for (Path f : staged) {
        move(f, target.resolve(f.getFileName()));
      }
      committed = true;
      deleteStaging();
      return staged.stream().map(f -> target.resolve(f.getFileName())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move results into " + target, e);
    }
  }

  /** Moves a file, or a directory into an existing one file by file (a re-run's subdirectories). */
  private static void move(Path f, Path dest) throws IOException {
    if (Files.isDirectory(f) && Files.isDirectory(dest)) {
      try (Stream<Path> children = Files.list(f)) {
        for (Path c : children.sorted().toList()) {
          move(c, dest.resolve(c.getFileName()));
        }
      }
      Files.delete(f);
      return;
    }
    try {
      Files.move(f, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(f, dest, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes the staging directory unless committed. */
  @Override
  public void close() {
    if (!committed) {
      deleteStaging();
      if (created) {
        try {
          Files.deleteIfExists(target);
        } catch (IOException e) {
          // not empty (someone else wrote there meanwhile) or gone: leave it
        }
      }
    }
  }

  private void deleteStaging() {
    if (!Files.exists(staging)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(staging)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover hidden staging directory is harmless.
    }
  }
}
