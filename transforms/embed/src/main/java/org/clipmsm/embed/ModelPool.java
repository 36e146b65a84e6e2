package org.clipmsm.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loaded encoders kept for reuse within one JVM, one idle instance per model: the {@code embed} command's driver
 * probes the model (failing fast on a bad file, learning the output shape) and gives it back, and the worker in the
 * same JVM (DirectRunner, embedded Flink) borrows that instance, already loaded and past its first slow calls,
 * instead of loading it again. An instance is lent to one borrower at a time ({@link EmbeddingModel} is not
 * thread-safe); workers in other JVMs simply load their own. A model directory whose files changed (name, size or
 * modification time) since an instance was loaded is loaded afresh.
 */
public final class ModelPool {
  /** A model as it lies on disk now. */
  private record Key(ModelRef ref, String files) {}

  private static final Map<Key, Deque<EmbeddingModel>> IDLE = new HashMap<>();
  private static final Map<EmbeddingModel, Key> LENT = new IdentityHashMap<>();

  private ModelPool() {}

  /** An idle instance of {@code ref}, or a newly opened one ({@link EmbeddingModel#open} and its errors). */
  public static EmbeddingModel borrow(ModelRef ref) {
    Key key = new Key(ref, files(ref));
    EmbeddingModel m;
    List<EmbeddingModel> stale = new ArrayList<>();
    synchronized (IDLE) {
      Deque<EmbeddingModel> idle = IDLE.get(key);
      m = idle == null ? null : idle.poll();
      // Idle instances of this model as it was before its files changed will never be lent again.
      IDLE.entrySet().removeIf(e -> {
        boolean old = e.getKey().ref().equals(ref) && !e.getKey().equals(key);
        if (old) {
          stale.addAll(e.getValue());
        }
        return old;
      });
    }
    stale.forEach(EmbeddingModel::close);
    if (m == null) {
      m = EmbeddingModel.open(ref);
    }
    synchronized (IDLE) {
      LENT.put(m, key);
    }
    return m;
  }

  /** Returns a borrowed instance: kept if none of its model is idle and its files are unchanged, else closed. */
  public static void giveBack(EmbeddingModel model) {
    synchronized (IDLE) {
      Key key = LENT.remove(model);
      if (key != null && key.files().equals(files(key.ref()))) {
        Deque<EmbeddingModel> idle = IDLE.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (idle.isEmpty()) {
          idle.push(model);
          return;
        }
      }
    }
    model.close();
  }

  /**
   * Closes the idle instances of {@code ref}: a driver calls it when its pipeline is done, so that a probe instance
   * no worker borrowed (remote workers load their own) does not stay loaded.
   */
  public static void release(ModelRef ref) {
    List<EmbeddingModel> closing = new ArrayList<>();
    synchronized (IDLE) {
      IDLE.entrySet().removeIf(e -> {
        boolean match = e.getKey().ref().equals(ref);
        if (match) {
          closing.addAll(e.getValue());
        }
        return match;
      });
    }
    closing.forEach(EmbeddingModel::close);
  }

  /** Closes every idle instance (a long-lived JVM done with embedding can free their native memory). */
  public static void clear() {
    synchronized (IDLE) {
      IDLE.values().forEach(d -> d.forEach(EmbeddingModel::close));
      IDLE.clear();
    }
  }

  /** The model directory's files as name, size and modification time; "" if it cannot be listed. */
  private static String files(ModelRef ref) {
    Path dir;
    try {
      dir = ref.directory();
    } catch (RuntimeException e) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.sorted().toList()) {
        sb.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
            .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
      }
    } catch (IOException e) {
      return "";
    }
    return sb.toString();
  }
}
