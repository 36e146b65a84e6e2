package org.clipmsm.synth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A SHA-256 of a written tree: every regular file's relative path and content, in sorted path order; a {@code .gz}
 * file counts by its decompressed bytes, so that the fingerprint does not depend on the zlib build that compressed it.
 */
final class SynthFingerprint {
  private SynthFingerprint() {}

  static String of(Path root) {
    try {
      List<Path> files;
      try (Stream<Path> s = Files.walk(root)) {
        files = s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
      }
      MessageDigest tree = MessageDigest.getInstance("SHA-256");
      for (Path p : files) {
        byte[] content = Files.readAllBytes(root.resolve(p));
        if (p.toString().endsWith(".gz")) {
          try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve(p)))) {
            content = in.readAllBytes();
          }
        }
        byte[] file = MessageDigest.getInstance("SHA-256").digest(content);
        tree.update(p.toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
        tree.update((byte) 0);
        tree.update(file);
      }
      return HexFormat.of().formatHex(tree.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
