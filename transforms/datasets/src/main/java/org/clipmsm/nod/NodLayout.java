package org.clipmsm.nod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;

/**
 * Where a NOD subject's files lie (OpenNeuro ds004496): surface derivatives under
 * {@code derivatives/ciftify/sub-XX/results/}, one folder per run named {@code ses-<S>_task-<T>_run-<R>} (no zero
 * padding, no {@code sub-} prefix), fLoc ROIs and betas in {@code ses-floc_task-floc/}. Sessions and run counts
 * differ between subjects, so they are discovered from the folders, never assumed.
 */
public final class NodLayout {
  private static final Pattern RUN_DIR = Pattern.compile("ses-([A-Za-z0-9]+)_task-([A-Za-z0-9]+)_run-(\\d+)");

  private final Path results;

  private NodLayout(Path results) {
    this.results = results;
  }

  /** The layout of subject {@code subject} (1-based) under the dataset root. */
  public static NodLayout of(Path root, int subject) {
    Path results = root.resolve("derivatives/ciftify").resolve(String.format("sub-%02d", subject)).resolve("results");
    if (!Files.isDirectory(results)) {
      throw new InvalidInputException(results + ": no such directory (expected NOD's ciftify derivatives of"
          + String.format(" sub-%02d", subject) + ")");
    }
    return new NodLayout(results);
  }

  /** The runs of a task ("imagenet", "coco"), ordered by session then run number; beta files must exist. */
  public List<NodRun> runs(String task) {
    List<NodRun> out = runsIfAny(task);
    if (out.isEmpty()) {
      throw new InvalidInputException(results + ": no " + task + " runs (expected folders ses-*_task-" + task
          + "_run-N)");
    }
    return out;
  }

  /** As {@link #runs}, but an empty list when the subject has no run of the task (NOD sub-10..30 have no COCO). */
  public List<NodRun> runsIfAny(String task) {
    List<NodRun> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(results)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        Matcher m = RUN_DIR.matcher(d.getFileName().toString());
        if (!m.matches() || !m.group(2).equals(task)) {
          continue;
        }
        String base = d.getFileName().toString();
        Path betas = d.resolve(base + "_beta.dscalar.nii");
        if (!Files.isRegularFile(betas)) {
          throw new InvalidInputException(betas + ": missing (expected the run's single-trial betas)");
        }
        out.add(new NodRun(m.group(1), m.group(2), Integer.parseInt(m.group(3)), betas,
            d.resolve(base + "_label.txt")));
      }
    } catch (IOException e) {
      throw new InvalidInputException(results + ": cannot list (" + e.getMessage() + ")", e);
    }
    out.sort(Comparator.comparing(NodRun::session).thenComparingInt(NodRun::run));
    return out;
  }

  /** The fLoc ROI of a category ("faces", "bodies", "places", "words"): {@code floc-<category>.dlabel.nii}. */
  public Path flocRoi(String category) {
    return results.resolve("ses-floc_task-floc").resolve("floc-" + category + ".dlabel.nii");
  }

  /** The fLoc betas (maps Character, Body, Face, Place, Object). */
  public Path flocBetas() {
    return results.resolve("ses-floc_task-floc").resolve("ses-floc_task-floc_beta.dscalar.nii");
  }
}
