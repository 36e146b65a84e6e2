package org.clipmsm.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidParameterException;

/**
 * Several synthetic subjects under one root: the first subject writes the files they share (stimuli, design,
 * contents), the others, each drawn from a random stream of its own, are written in parallel.
 */
final class SharedRoot {
  private SharedRoot() {}

  /** Writes one subject; {@code writeShared} says whether it also writes the shared files. */
  interface SubjectWriter {
    void write(int subject, boolean writeShared) throws IOException;
  }

  static void write(String dataset, Path root, List<Integer> subjects, SubjectWriter writer) {
    InvalidParameterException.require(!subjects.isEmpty() && subjects.stream().distinct().count() == subjects.size(),
        "subjects", "expected distinct subjects, got " + subjects);
    one(dataset, root, subjects.get(0), true, writer);
    subjects.subList(1, subjects.size()).parallelStream().forEach(n -> one(dataset, root, n, false, writer));
  }

  private static void one(String dataset, Path root, int subject, boolean writeShared, SubjectWriter writer) {
    try {
      writer.write(subject, writeShared);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic " + dataset + " subject " + subject + " under " + root, e);
    }
  }
}
