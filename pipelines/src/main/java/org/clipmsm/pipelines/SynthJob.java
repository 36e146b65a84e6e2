package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.synth.BrodenSynth;
import org.clipmsm.synth.NodSynth;
import org.clipmsm.synth.NsdSynth;

/**
 * A synthetic subject laid out exactly like NSD or NOD, with its planted truth in {@code truth/} (docs/datasets.md
 * §5), or a synthetic Broden probe set whose masks are exactly the shapes drawn, staged like every result: a failed or killed run leaves the target as it was.
 *
 * <pre>{@code
 * SynthJob.nsd(NsdSynth.Spec.small(1), Path.of("nsd"));
 * }</pre>
 */
public final class SynthJob {
  private SynthJob() {}

  public static void nsd(NsdSynth.Spec spec, Path out) {
    try (OutputDirectory dir = OutputDirectory.open(out, List.of())) {
      NsdSynth.write(dir.dir(), spec);
      dir.commit();
    }
  }

  /** Several NSD subjects under one root ({@link NsdSynth#writeSubjects}). */
  public static void nsd(NsdSynth.Spec spec, List<Integer> subjects, Path out) {
    try (OutputDirectory dir = OutputDirectory.open(out, List.of())) {
      NsdSynth.writeSubjects(dir.dir(), spec, subjects);
      dir.commit();
    }
  }

  /** Several NOD subjects under one root ({@link NodSynth#writeSubjects}). */
  public static void nod(NodSynth.Spec spec, List<Integer> subjects, Path out) {
    try (OutputDirectory dir = OutputDirectory.open(out, List.of())) {
      NodSynth.writeSubjects(dir.dir(), spec, subjects);
      dir.commit();
    }
  }

  public static void nod(NodSynth.Spec spec, Path out) {
    try (OutputDirectory dir = OutputDirectory.open(out, List.of())) {
      NodSynth.write(dir.dir(), spec);
      dir.commit();
    }
  }

  public static void broden(BrodenSynth.Spec spec, Path out) {
    try (OutputDirectory dir = OutputDirectory.open(out, List.of())) {
      BrodenSynth.write(dir.dir(), spec);
      dir.commit();
    }
  }
}
