package org.clipmsm.embed;

import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * DJL's settings for this project: never download anything at run time (the engines' native libraries come from
 * the Maven artifacts on the class path), and an optional cache directory where the PyTorch native library is
 * unpacked on first use (about 430 MB; default {@code ~/.djl.ai}, or the {@code DJL_CACHE_DIR} environment
 * variable).
 *
 * <p>What this project itself unpacks from its class path goes into {@code clipmsm/} in the same cache, once, in
 * directories named by their content (so later runs reuse them and another version never sees stale files):
 * the shipped tiny CLIP ({@link ModelRef}), and OnnxRuntime's native libraries (about 20 MB), which OnnxRuntime
 * would otherwise unpack into a new {@code onnxruntime-java*} directory under {@code java.io.tmpdir} on every run
 * and leave it behind (it registers the directory for deletion at exit before its files, and the JVM deletes in
 * reverse order of registration; given the libraries, it still makes that directory, but it stays empty and goes
 * at exit).
 */
public final class Djl {
  private static final String ORT_NATIVE_PATH = "onnxruntime.native.path";
  private static boolean onnxRuntimeConfigured;

  private Djl() {}

  /**
   * Sets offline mode, and turns TorchScript's profiling graph optimizer off, unless the user set these properties
   * otherwise. The optimizer re-specialises the graph over the first calls and then ran ResNet50 at 4 images/s
   * instead of 10.5 on this machine (BENCHMARKS.md); results are the same either way. Points OnnxRuntime at its
   * native libraries in the cache (unless {@code onnxruntime.native.path} is set).
   */
  public static void configure() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
      System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    }
    configureOnnxRuntime();
  }

  /** Offline mode and the cache directory ({@code null}: the default); call before the first model is loaded. */
  public static void configure(String cacheDir) {
    if (cacheDir != null && !cacheDir.isEmpty()) {
      System.setProperty("DJL_CACHE_DIR", cacheDir);
      System.setProperty("ENGINE_CACHE_DIR", cacheDir);
    }
    configure();
  }

  /**
   * DJL's cache directory, as DJL resolves it: {@code DJL_CACHE_DIR} (environment variable, else system property,
   * which {@link #configure(String)} sets), else {@code ~/.djl.ai}.
   */
  public static Path cacheDir() {
    return Utils.getCacheDir();
  }

  /**
   * Unpacks class-path resources ({@code resourceDir + file} for each file, found through {@code anchor}'s class
   * loader) into {@code <cache>/clipmsm/<name>-<content key>/}, unless an earlier run did. The directory is filled
   * beside its final place and renamed into it, so that concurrent runs (threads or processes) never see it half
   * written.
   *
   * @throws IOException if the cache cannot be written
   * @throws IllegalStateException if a resource is missing
   */
  static Path unpack(String name, Class<?> anchor, String resourceDir, List<String> files) throws IOException {
    List<URL> urls = new ArrayList<>();
    for (String f : files) {
      URL u = anchor.getResource(resourceDir + f);
      if (u == null) {
        throw new IllegalStateException("the class path lacks " + resourceDir + f);
      }
      urls.add(u);
    }
    Path target = cacheDir().resolve("clipmsm").resolve(name + "-" + contentKey(files, urls));
    if (complete(target, files)) {
      return target;
    }
    Path parent = Files.createDirectories(target.getParent());
    Path staging = Files.createTempDirectory(parent, "." + name + "-");
    try {
      for (int i = 0; i < files.size(); i++) {
        try (InputStream in = urls.get(i).openStream()) {
          Files.copy(in, staging.resolve(files.get(i)));
        }
      }
      if (Files.exists(target) && !complete(target, files)) {
        deleteRecursively(target);  // left incomplete by hand: unpack it again
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!complete(target, files)) {
          throw e;
        }
        // another run unpacked the same content first
      }
    } finally {
      deleteRecursively(staging);
    }
    return target;
  }

  /**
   * Sets {@code onnxruntime.native.path} to OnnxRuntime's native libraries for this platform, unpacked into the
   * cache, so that OnnxRuntime loads them from there instead of unpacking them into a temporary directory. Leaves
   * OnnxRuntime to its default when the user configured it, the platform is not one its jar holds, or the cache
   * cannot be written.
   */
  private static synchronized void configureOnnxRuntime() {
    if (onnxRuntimeConfigured) {
      return;
    }
    onnxRuntimeConfigured = true;
    if (System.getProperties().stringPropertyNames().stream().anyMatch(k -> k.startsWith("onnxruntime.native."))) {
      return;
    }
    String platform = onnxRuntimePlatform();
    List<String> libs = List.of(System.mapLibraryName("onnxruntime"), System.mapLibraryName("onnxruntime4j_jni"));
    String dir = "/ai/onnxruntime/native/" + platform + "/";
    if (platform == null || libs.stream().anyMatch(l -> Djl.class.getResource(dir + l) == null)) {
      return;
    }
    try {
      System.setProperty(ORT_NATIVE_PATH, unpack("onnxruntime-" + platform, Djl.class, dir, libs).toString());
    } catch (IOException | UncheckedIOException e) {
      // OnnxRuntime unpacks them itself
    }
  }

  /** The folder of OnnxRuntime's jar that holds this platform's libraries (as OnnxRuntime names it), or null. */
  private static String onnxRuntimePlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win"
        : os.contains("nux") ? "linux" : null;
    String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64" : arch.startsWith("aarch64") ? "aarch64"
        : null;
    return o == null || a == null ? null : o + "-" + a;
  }

  /**
   * A key of the resources' content: the SHA-256 of each one's name, size and CRC-32. For a jar entry size and CRC
   * come from the jar's directory (no need to inflate OnnxRuntime's 20 MB on every run), otherwise they are computed;
   * the same content gets the same key either way.
   */
  private static String contentKey(List<String> files, List<URL> urls) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < files.size(); i++) {
      URLConnection c = urls.get(i).openConnection();
      JarEntry entry = c instanceof JarURLConnection j ? j.getJarEntry() : null;
      long size;
      long crc;
      if (entry != null && entry.getSize() >= 0 && entry.getCrc() >= 0) {
        size = entry.getSize();
        crc = entry.getCrc();
      } else {
        CRC32 sum = new CRC32();
        size = 0;
        try (InputStream in = c.getInputStream()) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; size += n) {
            sum.update(buf, 0, n);
          }
        }
        crc = sum.getValue();
      }
      md.update((files.get(i) + " " + size + " " + crc + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest(), 0, 8);
  }

  private static boolean complete(Path dir, List<String> files) {
    return files.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
