package org.clipmsm.pipelines.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.clipmsm.InvalidParameterException;

/**
 * What {@link OutputDirectory} and {@link OutputFile} share: a result is written into a hidden staging directory
 * beside its target, {@code .clipmsm-<pid>-<random>-<name>}, in the target's own directory (so the final rename is atomic and
 * the target is never created before the result is whole). Staged results of processes that no longer run (killed
 * with SIGKILL) are deleted by the next run in the same directory; on SIGINT or SIGTERM a shutdown hook deletes
 * this process's staged result. Errors about the target name the parameter {@value #PARAMETER}.
 */
abstract class Staging implements AutoCloseable {
  /** The parameter that errors about the output name. */
  static final String PARAMETER = "out";
  private static final Pattern STAGED = Pattern.compile("\\.clipmsm-(\\d+)-[0-9a-f]{12}-(.*)");
  /** The suffix of an earlier result moved aside while its replacement is renamed into place. */
  static final String PREVIOUS = ".previous";

  final Path target;
  final Path staged;
  /** The job's inputs, which a manifest of the run lists with their digests. */
  final java.util.List<Path> inputs;
  private final Thread onInterrupt;
  /** Directories this run created for the target's parent, outermost first: removed again if nothing is committed. */
  private final java.util.List<Path> createdParents = new java.util.ArrayList<>();
  private boolean done;

  /** Checks the target and the inputs, and creates the staging directory. */
  Staging(Path target, Collection<Path> inputs, boolean directory) {
    this.target = target.toAbsolutePath().normalize();
    Path parent = this.target.getParent();
    if (parent == null) {
      throw new InvalidParameterException(PARAMETER, target + ": not a place to write a result");
    }
    checkTarget(directory);
    checkInputs(inputs, directory);
    this.inputs = java.util.List.copyOf(inputs);
    if (directory) {
      checkReplaceable();
    }
    try {
      for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
        createdParents.add(0, p);
      }
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new InvalidParameterException(PARAMETER, target + ": cannot create " + parent + " ("
          + reason(e) + ")", e);
    }
    deleteStale(parent);
    String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    this.staged = parent.resolve(".clipmsm-" + ProcessHandle.current().pid() + "-" + random + "-"
        + this.target.getFileName());
    if (!Files.isWritable(parent)) {
      throw new InvalidParameterException(PARAMETER, target + ": cannot write in " + parent + " (permission denied)");
    }
    try {
      Files.createDirectory(staged);
    } catch (IOException e) {
      throw new InvalidParameterException(PARAMETER, target + ": cannot write in " + parent + " (" + reason(e) + ")",
          e);
    }
    onInterrupt = new Thread(this::discard, "clipmsm-discard-staged-output");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
  }

  private void checkTarget(boolean directory) {
    if (directory && Files.exists(target) && !Files.isDirectory(target)) {
      throw new InvalidParameterException(PARAMETER, target + ": exists and is not a directory (expected a directory"
          + " for the results)");
    }
    if (!directory && Files.isDirectory(target)) {
      throw new InvalidParameterException(PARAMETER, target + ": is a directory (expected a file name)");
    }
    for (Path p = target.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new InvalidParameterException(PARAMETER, target + ": " + p + " is not a directory");
      }
    }
  }

  /** A directory result replaces only an earlier result ({@link OutputDirectory#MARKER}) or an empty directory. */
  private void checkReplaceable() {
    if (!Files.isDirectory(target) || Files.exists(target.resolve(OutputDirectory.MARKER))) {
      return;
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new InvalidParameterException(PARAMETER, target + ": holds files of something other than a clipmsm"
            + " result (expected a new or empty directory, or an earlier result to replace)");
      }
    } catch (IOException e) {
      throw new InvalidParameterException(PARAMETER, target + ": cannot list (" + reason(e) + ")", e);
    }
  }

  /** An input that the commit would overwrite (a file output) or replace (inside a directory output) is refused. */
  private void checkInputs(Collection<Path> inputs, boolean directory) {
    Path real = realOrSelf(target);
    for (Path in : inputs) {
      if (in == null) {
        continue;
      }
      Path i = realOrSelf(in.toAbsolutePath().normalize());
      if (i.equals(real)) {
        throw new InvalidParameterException(PARAMETER, target + ": is also an input (expected a new name, so that"
            + " the input is not overwritten)");
      }
      if (directory && i.startsWith(real)) {
        throw new InvalidParameterException(PARAMETER, target + ": holds the input " + in + " (the result replaces"
            + " the directory as a whole; expected a directory that holds no input)");
      }
    }
  }

  private static Path realOrSelf(Path p) {
    try {
      return Files.exists(p) ? p.toRealPath() : p;
    } catch (IOException e) {
      return p;
    }
  }

  /**
   * Staged results left in {@code dir} by processes that no longer run (by their pid: a directory shared between
   * machines or pid namespaces is not a place for concurrent runs). An earlier result that such a process had moved
   * aside, and whose target is now missing, is moved back instead: the process died between the two renames of its
   * commit.
   */
  private static void deleteStale(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        Matcher m = STAGED.matcher(p.getFileName().toString());
        if (!m.matches() || !ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true)) {
          continue;
        }
        String name = m.group(2);
        Path target = dir.resolve(name.endsWith(PREVIOUS) ? name.substring(0, name.length() - PREVIOUS.length())
            : name);
        if (name.endsWith(PREVIOUS) && !Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.move(p, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
          deleteTree(p);
        }
      }
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      // Best effort: a leftover that cannot be listed or deleted does not stop this run.
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }

  static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Moves the staged result into place. */
  abstract void publish() throws IOException;

  /**
   * Makes the result the target's content; after this, {@link #close} keeps it. Holds the lock the interrupt hook
   * needs, so an interrupt during the commit waits for it and then finds nothing to discard.
   */
  public final synchronized void commit() {
    try {
      publish();
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the result into " + target, e);
    } finally {
      removeHook();
    }
  }

  private synchronized void discard() {
    if (!done) {
      deleteTree(staged);
      for (int i = createdParents.size() - 1; i >= 0; i--) {
        try {
          Files.deleteIfExists(createdParents.get(i));
        } catch (IOException e) {
          break; // not empty: someone else wrote there meanwhile
        }
      }
    }
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs
    }
  }

  /** Deletes the staged result, and the parents this run created, unless committed: the target stays as it was. */
  @Override
  public final synchronized void close() {
    discard();
    done = true;
    removeHook();
  }
}
