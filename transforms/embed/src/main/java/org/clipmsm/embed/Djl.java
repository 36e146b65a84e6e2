package org.clipmsm.embed;

/**
 * DJL's settings for this project: never download anything at run time (the engines' native libraries come from
 * the Maven artifacts on the class path), and an optional cache directory where the PyTorch native library is
 * unpacked on first use (about 430 MB; default {@code ~/.djl.ai}, or the {@code DJL_CACHE_DIR} environment
 * variable).
 */
public final class Djl {
  private Djl() {}

  /**
   * Sets offline mode, and turns TorchScript's profiling graph optimizer off, unless the user set these properties
   * otherwise. The optimizer re-specialises the graph over the first calls and then ran ResNet50 at 4 images/s
   * instead of 10.5 on this machine (BENCHMARKS.md); results are the same either way.
   */
  public static void configure() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
      System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    }
  }

  /** Offline mode and the cache directory ({@code null}: the default); call before the first model is loaded. */
  public static void configure(String cacheDir) {
    configure();
    if (cacheDir != null && !cacheDir.isEmpty()) {
      System.setProperty("DJL_CACHE_DIR", cacheDir);
      System.setProperty("ENGINE_CACHE_DIR", cacheDir);
    }
  }
}
