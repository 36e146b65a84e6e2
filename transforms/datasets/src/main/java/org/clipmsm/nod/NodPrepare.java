package org.clipmsm.nod;

import java.util.ArrayList;
import java.util.List;
import org.clipmsm.io.Cifti;
import org.clipmsm.linalg.Matrix;

/**
 * The paper's NOD responses for a block of grayordinates: ImageNet runs z-scored per run and stacked (one row per
 * trial's image), then COCO runs z-scored across images per run and averaged over runs (one row per COCO image);
 * stacked ImageNet then COCO. Run counts come from the files, never assumed.
 */
public final class NodPrepare {
  private NodPrepare() {}

  /** The images of the rows, the task ("imagenet", "coco") and repetition count of each, in row order. */
  public record Rows(List<String> stimuli, List<String> tasks, List<Integer> repetitions) {}

  public static Rows rows(NodSubject s) {
    List<String> stimuli = new ArrayList<>();
    List<String> tasks = new ArrayList<>();
    List<Integer> reps = new ArrayList<>();
    for (NodRun r : s.imagenetRuns()) {
      for (String st : s.stimuli(r, s.maps(r))) {
        stimuli.add(st);
        tasks.add(r.task());
        reps.add(1);
      }
    }
    java.util.Map<String, Integer> coco = new java.util.LinkedHashMap<>();
    for (NodRun r : s.cocoRuns()) {
      for (String st : s.stimuli(r, s.maps(r))) {
        coco.merge(st, 1, Integer::sum);
      }
    }
    coco.forEach((k, v) -> {
      stimuli.add(k);
      tasks.add("coco");
      reps.add(v);
    });
    return new Rows(stimuli, tasks, reps);
  }

  /** rows x grayordinates of the block, column-major. */
  public static Matrix block(NodSubject s, int[] grayordinates) {
    List<double[]> parts = new ArrayList<>();
    int rows = 0;
    for (NodRun r : s.imagenetRuns()) {
      double[] run = select(r, grayordinates);
      int maps = run.length / grayordinates.length;
      NodPreprocessing.zScoreRun(run, maps, grayordinates.length);
      parts.add(run);
      rows += maps;
    }
    if (!s.cocoRuns().isEmpty()) {
      List<double[]> runs = new ArrayList<>();
      List<List<String>> labels = new ArrayList<>();
      for (NodRun r : s.cocoRuns()) {
        double[] run = select(r, grayordinates);
        runs.add(run);
        labels.add(s.stimuli(r, run.length / grayordinates.length));
      }
      List<String> images = new ArrayList<>();
      double[] avg = NodPreprocessing.cocoAverage(runs, labels, grayordinates.length, images);
      parts.add(avg);
      rows += images.size();
    }
    double[] out = new double[rows * grayordinates.length];
    int r0 = 0;
    for (double[] part : parts) {
      int n = part.length / grayordinates.length;
      for (int g = 0; g < grayordinates.length; g++) {
        System.arraycopy(part, g * n, out, g * rows + r0, n);
      }
      r0 += n;
    }
    return new Matrix(rows, grayordinates.length, out);
  }

  /** A run's maps at the chosen grayordinates: maps x block, column-major (only those values are decoded). */
  private static double[] select(NodRun r, int[] grayordinates) {
    return Cifti.readGrayordinates(r.betas(), grayordinates);
  }
}
