package org.clipmsm.pipelines.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory trees that a run made for itself (scratch features, a rerun's output) and deletes when done. */
public final class Trees {
  private Trees() {}

  /** Deletes {@code dir} and everything in it; a file that cannot be deleted is an error. */
  public static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
