package org.clipmsm.beam;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One progress line per finished block on standard error: stage, blocks done, voxels done/total, voxels per
 * second. The count is
 * per JVM (a remote worker reports its own share), keyed by a run id so that concurrent pipelines do not mix.
 */
public final class ProgressLog {
  private static final Map<String, AtomicLong> DONE = new ConcurrentHashMap<>();
  private static final Map<String, Long> START = new ConcurrentHashMap<>();

  private ProgressLog() {}

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
}
