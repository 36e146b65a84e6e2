package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several synthetic subjects under one root: shared stimuli and design, each subject's own ROIs, tuning and noise,
 * and a subject the same whichever others are written with it.
 */
class MultiSubjectSynthTest {
  @TempDir
  Path tmp;

  static final NsdSynth.Spec NSD = NsdSynth.Spec.small(5);
  static final NodSynth.Spec NOD = NodSynth.Spec.small(5);

  @Test
  void nsdSubjectsShareTheStimuliAndDesignAndDifferInTheirTuning() throws IOException {
    Path both = tmp.resolve("both");
    NsdSynth.writeSubjects(both, NSD, List.of(1, 2));
    for (String shared : List.of("nsddata_stimuli/stimuli/nsd/nsd_stimuli.hdf5",
        "nsddata/experiments/nsd/nsd_expdesign.mat", "nsddata/experiments/nsd/nsd_stim_info_merged.csv",
        "truth/content.npy", "truth/categories.txt")) {
      assertTrue(Files.isRegularFile(both.resolve(shared)), shared);
    }
    for (String s : List.of("subj01", "subj02")) {
      assertTrue(Files.isRegularFile(both.resolve("truth").resolve(s).resolve("tuning.npy")), s);
      assertTrue(Files.isRegularFile(both.resolve("masks").resolve(s).resolve("food.nii.gz")), s);
      assertTrue(Files.isRegularFile(both.resolve("nsddata/ppdata").resolve(s).resolve("func1pt8mm/brainmask.nii.gz")));
    }
    assertFalse(Files.exists(both.resolve("truth/tuning.npy")), "no root-level subject truth");
    assertFalse(sameBytes(both.resolve("truth/subj01/tuning.npy"), both.resolve("truth/subj02/tuning.npy")),
        "each subject its own tuning");

    // Subject 2 alone: the same files as subject 2 written beside subject 1.
    Path alone = tmp.resolve("alone");
    NsdSynth.writeSubjects(alone, NSD, List.of(2));
    assertEquals(SynthFingerprint.of(alone), fingerprintWithout(both, "subj01"));
  }

  @Test
  void nodSubjectsShareTheStimuliAndASubjectDoesNotDependOnTheOthers() throws IOException {
    Path both = tmp.resolve("nod-both");
    NodSynth.writeSubjects(both, NOD, List.of(3, 4));
    assertTrue(Files.isRegularFile(both.resolve("truth/stimuli.txt")));
    assertTrue(Files.isRegularFile(both.resolve("truth/sub-03/tuning.npy")));
    assertTrue(Files.isRegularFile(both.resolve("truth/sub-04/tuning.npy")));
    assertFalse(sameBytes(both.resolve("truth/sub-03/tuning.npy"), both.resolve("truth/sub-04/tuning.npy")));
    Path alone = tmp.resolve("nod-alone");
    NodSynth.writeSubjects(alone, NOD, List.of(4));
    assertEquals(SynthFingerprint.of(alone), fingerprintWithout(both, "sub-03"));
    // Written twice: the same bytes (the parallel writing of later subjects is deterministic).
    Path again = tmp.resolve("nod-again");
    NodSynth.writeSubjects(again, NOD, List.of(3, 4));
    assertEquals(SynthFingerprint.of(both), SynthFingerprint.of(again));
  }

  @Test
  void aSingleSubjectKeepsItsOneStream() throws IOException {
    Path single = tmp.resolve("single");
    NsdSynth.write(single, NSD);
    Path multi = tmp.resolve("multi");
    NsdSynth.writeSubjects(multi, NSD, List.of(1));
    assertTrue(Files.isRegularFile(single.resolve("truth/tuning.npy")));
    assertNotEquals(SynthFingerprint.of(single), SynthFingerprint.of(multi), "different layouts and streams");
    assertArrayEquals(Files.readAllBytes(single.resolve("truth/content.npy")),
        Files.readAllBytes(multi.resolve("truth/content.npy")), "the shared draws come first in both");
  }

  /** A copy of {@code root} without the files of one subject (any path with a part named {@code subject}). */
  private Path copyWithout(Path root, String subject) throws IOException {
    Path copy = tmp.resolve(root.getFileName() + "-without-" + subject);
    try (var walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        Path rel = root.relativize(p);
        boolean ofSubject = false;
        for (Path part : rel) {
          ofSubject |= part.toString().equals(subject);
        }
        if (ofSubject) {
          continue;
        }
        Path target = copy.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  private String fingerprintWithout(Path root, String subject) throws IOException {
    return SynthFingerprint.of(copyWithout(root, subject));
  }

  private static boolean sameBytes(Path a, Path b) throws IOException {
    return java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
  }
}
