package org.clipmsm.nsd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.clipmsm.InvalidInputException;

/**
 * The NSD experimental design of one subject: which image each trial showed, for the trials of the sessions used.
 *
 * <p>NSD (Allen et al. 2022) shows each subject 10,000 images three times over 40 scan sessions of 750 trials
 * (12 runs: odd runs 63 trials, even runs 62). Trial {@code t} (0-based over the subject) is in session
 * {@code t / 750 + 1}, row {@code t % 750} of that session's beta file, and shows the image
 * {@code nsdId = subjectim[subject-1][masterordering[t]-1] - 1} (both tables 1-based in nsd_expdesign.mat). Not all
 * subjects completed 40 sessions (see {@link #sessionsAvailable}); only the trials of sessions {@code 1..sessions}
 * count, so some images of those subjects have fewer than three repetitions (or none).
 *
 * <p>Two readers give the same design: {@link #fromExpDesignMat} (nsd_expdesign.mat) and {@link #fromStimInfoCsv}
 * (the subjectN_repR trial numbers of nsd_stim_info_merged.csv). Instances are immutable.
 */
public final class NsdDesign implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Subjects are 1..8. */
  public static final int SUBJECTS = 8;
  /** Sessions in the full design. */
  public static final int MAX_SESSIONS = 40;
  /** Trials per session (12 runs, 63/62/63/...). */
  public static final int TRIALS_PER_SESSION = 750;
  /** Runs per session. */
  public static final int RUNS_PER_SESSION = 12;
  /** Trials in the full design: 40 sessions of 750. */
  public static final int TOTAL_TRIALS = MAX_SESSIONS * TRIALS_PER_SESSION;
  /** Distinct images per subject in the full design (the 10k-indices). */
  public static final int IMAGES_PER_SUBJECT = 10_000;
  /** Images in the whole dataset (the 73k ids). */
  public static final int TOTAL_IMAGES = 73_000;

  /** Sessions released per subject (NSD data manual): subjects 3, 4, 6 and 8 did not finish all 40. */
  private static final int[] SESSIONS_AVAILABLE = {40, 40, 32, 30, 40, 32, 40, 30};
  /** An odd run and the following even run: 63 + 62 trials. */
  private static final int RUN_PAIR = 125;
  private static final int ODD_RUN_TRIALS = 63;

  private final int subject;
  private final int sessions;
  /** nsdId of each trial of sessions 1..sessions, in trial order. */
  private final int[] trialNsdIds;
  /** Distinct nsdIds, ascending. */
  private final int[] images;
  /** repetitions[i]: trials showing images[i]. */
  private final int[] repetitions;
  private final List<NsdTrial> trials;

  /**
   * @param trialNsdIds the 0-based nsdId shown on each trial of sessions 1..sessions, in trial order
   */
  NsdDesign(int subject, int sessions, int[] trialNsdIds) {
    checkSubjectSessions(subject, sessions);
    if (trialNsdIds.length != sessions * TRIALS_PER_SESSION) {
      throw new IllegalArgumentException(
          "expected " + sessions * TRIALS_PER_SESSION + " trials, got " + trialNsdIds.length);
    }
    this.subject = subject;
    this.sessions = sessions;
    this.trialNsdIds = trialNsdIds.clone();
    int[] sorted = trialNsdIds.clone();
    Arrays.sort(sorted);
    int distinct = 0;
    int[] counts = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[distinct++] = sorted[i];
      }
      counts[distinct - 1]++;
    }
    this.images = Arrays.copyOf(sorted, distinct);
    this.repetitions = Arrays.copyOf(counts, distinct);
    List<NsdTrial> list = new ArrayList<>(trialNsdIds.length);
    for (int t = 0; t < trialNsdIds.length; t++) {
      int row = t % TRIALS_PER_SESSION;
      list.add(new NsdTrial(t, t / TRIALS_PER_SESSION + 1, row, runOf(row), trialNsdIds[t]));
    }
    this.trials = Collections.unmodifiableList(list);
  }

  /**
   * Reads nsd_expdesign.mat (MATLAB Level 5; the variables {@code masterordering} 1x30000 and {@code subjectim}
   * 8x10000, any numeric class holding whole numbers).
   *
   * @param subject 1..8
   * @param sessions the sessions whose trials count, 1..40 (normally {@link #sessionsAvailable}{@code (subject)})
   * @throws InvalidInputException if the file cannot be read or a variable is missing or out of range
   */
  public static NsdDesign fromExpDesignMat(Path matFile, int subject, int sessions) {
    checkSubjectSessions(subject, sessions);
    return new NsdDesign(subject, sessions, ExpDesignMat.trialNsdIds(matFile, subject, sessions));
  }

  /**
   * Reads nsd_stim_info_merged.csv: the columns {@code nsdId} and {@code subjectN_rep0..2} (1-based trial numbers
   * of the image's showings to subject N, 0 if not shown), found by header name. Rows may come in any order and
   * need not be all 73,000; every trial of sessions 1..sessions must be listed exactly once.
   *
   * @param subject 1..8
   * @param sessions the sessions whose trials count, 1..40
   * @throws InvalidInputException if a column is missing, a value is malformed, or the trials are not covered once
   */
  public static NsdDesign fromStimInfoCsv(Path csvFile, int subject, int sessions) {
    checkSubjectSessions(subject, sessions);
    return new NsdDesign(subject, sessions, StimInfoCsv.trialNsdIds(csvFile, subject, sessions));
  }

  /**
   * The COCO id of each NSD image, from nsd_stim_info_merged.csv's {@code nsdId} and {@code cocoId} columns (the key
   * that precomputed features such as clip2brain's are ordered by).
   */
  public static java.util.Map<Integer, Long> cocoIds(Path csvFile) {
    return StimInfoCsv.cocoIds(csvFile);
  }

  /** Sessions released for a subject (1..8): 40, 40, 32, 30, 40, 32, 40, 30. */
  public static int sessionsAvailable(int subject) {
    if (subject < 1 || subject > SUBJECTS) {
      throw new InvalidInputException("subject: expected 1.." + SUBJECTS + ", found " + subject);
    }
    return SESSIONS_AVAILABLE[subject - 1];
  }

  /**
   * The run (1..12) holding a row of a session: runs alternate 63 and 62 trials (odd runs 63), so each pair of runs
   * spans 125 rows.
   *
   * @param rowInSession 0..749
   */
  public static int runOf(int rowInSession) {
    if (rowInSession < 0 || rowInSession >= TRIALS_PER_SESSION) {
      throw new IllegalArgumentException("rowInSession must be in 0.." + (TRIALS_PER_SESSION - 1) + ": "
          + rowInSession);
    }
    return 2 * (rowInSession / RUN_PAIR) + (rowInSession % RUN_PAIR < ODD_RUN_TRIALS ? 1 : 2);
  }

  public int subject() {
    return subject;
  }

  public int sessions() {
    return sessions;
  }

  /** The trials of sessions 1..sessions, in trial order (unmodifiable). */
  public List<NsdTrial> trials() {
    return trials;
  }

  /** The distinct nsdIds shown in sessions 1..sessions, ascending (a copy). */
  public int[] images() {
    return images.clone();
  }

  /** The position of an nsdId in {@link #images()}, or a negative number if it was not shown. */
  public int imageIndex(int nsdId) {
    return Arrays.binarySearch(images, nsdId);
  }

  /** How many trials of sessions 1..sessions showed the image (0 if none; at most 3 in NSD). */
  public int repetitions(int nsdId) {
    int i = imageIndex(nsdId);
    return i < 0 ? 0 : repetitions[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NsdDesign d && d.subject == subject && d.sessions == sessions
        && Arrays.equals(d.trialNsdIds, trialNsdIds);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * subject + sessions) + Arrays.hashCode(trialNsdIds);
  }

  @Override
  public String toString() {
    return "NsdDesign[subject=" + subject + ", sessions=" + sessions + ", trials=" + trialNsdIds.length
        + ", images=" + images.length + "]";
  }

  static void checkSubjectSessions(int subject, int sessions) {
    if (subject < 1 || subject > SUBJECTS) {
      throw new InvalidInputException("subject: expected 1.." + SUBJECTS + ", found " + subject);
    }
    if (sessions < 1 || sessions > MAX_SESSIONS) {
      throw new InvalidInputException("sessions: expected 1.." + MAX_SESSIONS + ", found " + sessions);
    }
  }
}
