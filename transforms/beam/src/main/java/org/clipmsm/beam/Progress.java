package org.clipmsm.beam;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Where a pipeline's stages report their progress: the one reporter a pipeline owns and hands to the transforms it
 * applies ({@code withProgress}). Every stage counts its work in Beam {@link Metrics} counters (namespace
 * {@value #NAMESPACE}, names {@code <stage>.blocks}, {@code <stage>.voxels} or {@code <stage>.<unit>}), which runners
 * show and report in their results; a reporter made by {@link #lines} also prints lines on standard error, prefixed by
 * its label: {@code "<label> fit: 3 blocks done, 3072/20000 voxels, 2190 voxels/s"}, for many small units (images)
 * at most one every few seconds. Transforms given no reporter count quietly ({@link #quiet}). The printed counts are
 * per JVM (a remote worker prints its own share), kept per stage run so that concurrent pipelines do not mix.
 *
 * <pre>{@code
 * Progress progress = Progress.lines("my-study");
 * responses.apply(FitEncodingModels.withFeatures(features).withProgress(progress).withTotalVoxels(v));
 * }</pre>
 */
public final class Progress implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String NAMESPACE = "clipmsm";
  /** Seconds between two {@link Stage#itemsDone} lines of one stage run, unless the last item is done. */
  static final double ITEMS_INTERVAL_SECONDS = 5;

  private static final Map<String, AtomicLong> DONE = new ConcurrentHashMap<>();
  private static final Map<String, Long> START = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> LAST_LINE = new ConcurrentHashMap<>();

  /** The prefix of printed lines; null prints nothing. */
  private final String label;
  /** When this reporter was made (epoch ms): lines end with the time since, so overlapping stages show a timeline. */
  private final long origin;

  private Progress(String label) {
    this(label, System.currentTimeMillis());
  }

  private Progress(String label, long origin) {
    this.label = label;
    this.origin = origin;
  }

  /** The same reporter for one part of the work (e.g. one subject of a study): {@code name} follows the label. */
  public Progress within(String name) {
    return new Progress(label == null ? null : label + " " + name, origin);
  }

  /** Counters only. */
  public static Progress quiet() {
    return new Progress(null);
  }

  /** Counters and lines on standard error, each starting with {@code label}. */
  public static Progress lines(String label) {
    return new Progress(java.util.Objects.requireNonNull(label, "label"));
  }

  /** A new run of {@code stage} with {@code total} units (0: unknown), carried by the DoFns that report it. */
  public Stage stage(String stage, long total) {
    return new Stage(label, stage, total, UUID.randomUUID().toString(), origin);
  }

  /** One line about {@code stage} (such as a driver-side step's time), if this reporter prints. */
  public void note(String stage, String message) {
    if (label != null) {
      System.err.println(label + " " + stage + ": " + message + since(origin));
    }
  }

  /** " (+12.3 s)": the time since the reporter was made. */
  static String since(long origin) {
    return String.format(" (+%.1f s)", (System.currentTimeMillis() - origin) / 1e3);
  }

  /**
   * One stage's progress as the DoFns that do its work report it: call {@link #start} when work begins (at each
   * element: only the first call counts; not in {@code @Setup}, which in a larger pipeline may come long before the
   * work), then {@link #blockDone} or {@link #itemsDone} from {@code @ProcessElement}.
   */
  public record Stage(String label, String stage, long total, String runId, long origin) implements Serializable {
    public void start() {
      START.putIfAbsent(runId, System.nanoTime());
    }

    /** A block of {@code voxels} done: counted, and one line. */
    public void blockDone(long voxels) {
      counter("blocks").inc();
      counter("voxels").inc(voxels);
      long done = DONE.computeIfAbsent(runId, k -> new AtomicLong()).incrementAndGet();
      long v = DONE.computeIfAbsent(runId + "/voxels", k -> new AtomicLong()).addAndGet(voxels);
      if (label != null) {
        double secs = (System.nanoTime() - START.getOrDefault(runId, System.nanoTime())) / 1e9;
        String ofVoxels = total > 0 ? "/" + total : "";
        System.err.printf("%s %s: %d blocks done, %d%s voxels, %.0f voxels/s%s%n", label, stage, done, v, ofVoxels,
            secs > 0 ? v / secs : 0.0, since(origin));
      }
      if (total > 0 && v >= total) {
        forget();
      }
    }

    /**
     * {@code items} more done: counted, and a line "stage: done/total unit, rate unit/s" if the last line of this run
     * is {@link #ITEMS_INTERVAL_SECONDS} old or everything is done.
     */
    public void itemsDone(String unit, long items) {
      counter(unit).inc(items);
      long done = DONE.computeIfAbsent(runId, k -> new AtomicLong()).addAndGet(items);
      if (label == null) {
        if (total > 0 && done >= total) {
          forget();
        }
        return;
      }
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
      System.err.printf("%s %s: %d%s %s, %.1f %s/s%s%n", label, stage, done, total > 0 ? "/" + total : "", unit,
          secs > 0 ? done / secs : 0.0, unit, since(origin));
      if (finished) {
        forget();
      }
    }

    /** A finished stage run's counts are dropped, so that a long-lived JVM does not keep every run's. */
    private void forget() {
      DONE.remove(runId);
      DONE.remove(runId + "/voxels");
      START.remove(runId);
      LAST_LINE.remove(runId);
    }

    private Counter counter(String name) {
      return Metrics.counter(NAMESPACE, stage + "." + name);
    }
  }
}
