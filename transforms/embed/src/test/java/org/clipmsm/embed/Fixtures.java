package org.clipmsm.embed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;

/** Test resources of this package and raw little-endian .npy bodies. */
final class Fixtures {
  private Fixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/org/clipmsm/embed/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** All values of a C-order little-endian float32 .npy file. */
  static float[] floats(Path file) {
    NpyHeader h = Npy.readHeader(file);
    if (!h.descr().equals("<f4") || h.fortranOrder()) {
      throw new IllegalArgumentException(file + ": " + h);
    }
    try {
      byte[] all = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(all, (int) h.dataOffset(), all.length - (int) h.dataOffset())
          .order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[(all.length - (int) h.dataOffset()) / 4];
      b.asFloatBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All values of a C-order little-endian int64 .npy file. */
  static long[] longs(Path file) {
    NpyHeader h = Npy.readHeader(file);
    try {
      byte[] all = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(all, (int) h.dataOffset(), all.length - (int) h.dataOffset())
          .order(ByteOrder.LITTLE_ENDIAN);
      long[] out = new long[(all.length - (int) h.dataOffset()) / 8];
      b.asLongBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
