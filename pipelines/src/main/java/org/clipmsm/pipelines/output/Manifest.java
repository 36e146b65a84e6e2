package org.clipmsm.pipelines.output;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;

/**
 * {@code manifest.json}: what a run read and wrote, so that a rerun can be checked against it (the {@code verify}
 * command). It records the command line, the result's location, the runner, the versions, every input with its
 * SHA-256 and every output file with its SHA-256. A directory result holds it ({@value #FILE}, written into the
 * staged directory, so it is committed with the result); a file result has it beside it ({@code NAME.manifest.json}).
 * The digest of a directory input is the SHA-256 of its files' lines {@code "relative/path<TAB>sha256\n"} in path
 * order; output digests leave out the manifest itself and the result marker, whose content never changes.
 */
public final class Manifest {
  public static final String FILE = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** A manifest's content. */
  public record Contents(List<String> command, String out, String runner, Map<String, String> versions,
      Map<String, String> inputs, Map<String, String> outputs) {}

  private Manifest() {}

  /** Where the manifest of a result at {@code target} is: inside a directory, beside a file. */
  public static Path of(Path target, boolean directory) {
    return directory ? target.resolve(FILE) : target.resolveSibling(target.getFileName() + ".manifest.json");
  }

  /** Writes the manifest of {@code result} (staged or final) to {@code file}, through a temporary file. */
  static void write(Path file, RunRecord r, List<Path> inputs, Path result) throws IOException {
    Map<String, String> in = new LinkedHashMap<>();
    for (Path p : inputs) {
      in.put(r.located(p), digest(p));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", r.command());
    m.put("out", r.located(r.out()));
    m.put("runner", r.runner());
    m.put("versions", new TreeMap<>(r.versions()));
    m.put("inputs", in);
    m.put("outputs", outputs(result));
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, (JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a manifest; a file that is not one is bad input naming it. */
  public static Contents read(Path file) {
    Map<String, Object> m;
    try {
      m = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not a clipmsm manifest (" + e.getMessage().split("\n")[0] + ")");
    }
    for (String key : List.of("command", "out", "runner", "versions", "inputs", "outputs")) {
      if (!m.containsKey(key)) {
        throw new InvalidInputException(file + ": no \"" + key + "\" (expected a manifest.json written by clipmsm)");
      }
    }
    return JSON.convertValue(m, Contents.class);
  }

  /**
   * The digest of every output file of a result: for a directory, its files by path relative to it ('/'-separated,
   * sorted), without the manifest and the marker; for a file, its name.
   */
  public static Map<String, String> outputs(Path result) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(result)) {
      out.put(result.getFileName().toString(), sha256(result));
      return out;
    }
    for (Path f : files(result)) {
      String rel = relative(result, f);
      if (!rel.equals(FILE) && !rel.equals(OutputDirectory.MARKER)) {
        out.put(rel, sha256(f));
      }
    }
    return out;
  }

  /** A file's SHA-256, or a directory's (of its files' relative paths and SHA-256s, in path order). */
  public static String digest(Path p) {
    try {
      if (!Files.isDirectory(p)) {
        return sha256(p);
      }
      MessageDigest md = sha();
      for (Path f : files(p)) {
        md.update((relative(p, f) + "\t" + sha256(f) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted((a, b) -> relative(dir, a).compareTo(relative(dir, b))).toList();
    }
  }

  private static String relative(Path dir, Path f) {
    return dir.relativize(f).toString().replace('\\', '/');
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md = sha();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
