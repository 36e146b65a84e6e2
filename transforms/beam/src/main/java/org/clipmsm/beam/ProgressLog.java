package org.clipmsm.beam;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress lines on standard error: one per finished voxel block (stage, blocks done, voxels done/total, voxels per
 * second), or for many small units such as images, at most one every few seconds ({@link #itemsDone}). The count is
 * per JVM (a remote worker reports its own share), keyed by a run id so that concurrent pipelines do not mix.
 */
public final class ProgressLog {
  /** Seconds between two {@link #itemsDone} lines of one run, unless the last item is done. */
  static final double ITEMS_INTERVAL_SECONDS = 5;

  private static final Map<String, AtomicLong> DONE = new ConcurrentHashMap<>();
  private static final Map<String, Long> START = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> LAST_LINE = new ConcurrentHashMap<>();

  private ProgressLog() {}

  /**
   * One stage's progress, carried by the DoFns that report it: a run id (so concurrent pipelines do not mix), the
   * stage's name and its total (0: unknown). Call {@link #start} in {@code @Setup}.
   */
  public record Counter(String runId, String stage, long total) implements java.io.Serializable {
    /** A new run of {@code stage}. */
    public static Counter of(String stage, long total) {
      return new Counter(java.util.UUID.randomUUID().toString(), stage, total);
    }

    public void start() {
      ProgressLog.start(runId);
    }

    /** A block of {@code voxels} done: one line. */
    public void blockDone(long voxels) {
      ProgressLog.blockDone(runId, stage, voxels, total);
    }

    /** {@code items} more done: a line at most every few seconds, and the one completing the total. */
    public void itemsDone(String unit, long items) {
      ProgressLog.itemsDone(runId, stage, unit, items, total);
    }
  }

  public static void start(String runId) {
    START.putIfAbsent(runId, System.nanoTime());
  }

  public static void blockDone(String runId, String stage, long voxelsInBlock, long totalVoxels) {
    long done = DONE.computeIfAbsent(runId, k -> new AtomicLong()).incrementAndGet();
    AtomicLong voxels = DONE.computeIfAbsent(runId + "/voxels", k -> new AtomicLong());
    long v = voxels.addAndGet(voxelsInBlock);
    double secs = (System.nanoTime() - START.getOrDefault(runId, System.nanoTime())) / 1e9;
    String ofVoxels = totalVoxels > 0 ? "/" + totalVoxels : "";
    System.err.printf("clipmsm %s: %d blocks done, %d%s voxels, %.0f voxels/s%n", stage, done, v, ofVoxels,
        secs > 0 ? v / secs : 0.0);
  }

  /**
   * Counts {@code items} more done and prints "stage: done/total unit, rate unit/s" if the last line of this run is
   * {@link #ITEMS_INTERVAL_SECONDS} old or everything is done ({@code total} 0: unknown).
   */
  public static void itemsDone(String runId, String stage, String unit, long items, long total) {
    long done = DONE.computeIfAbsent(runId, k -> new AtomicLong()).addAndGet(items);
    long now = System.nanoTime();
    long start = START.getOrDefault(runId, now);
    AtomicLong last = LAST_LINE.computeIfAbsent(runId, k -> new AtomicLong(start));
    long previous = last.get();
    boolean finished = total > 0 && done >= total && done - items < total;
    if (finished) {
      last.set(now); // the line that completes the count always prints
    } else if ((now - previous) / 1e9 < ITEMS_INTERVAL_SECONDS || !last.compareAndSet(previous, now)) {
      return;
    }
    double secs = (now - start) / 1e9;
    System.err.printf("clipmsm %s: %d%s %s, %.1f %s/s%n", stage, done, total > 0 ? "/" + total : "", unit,
        secs > 0 ? done / secs : 0.0, unit);
  }
}
