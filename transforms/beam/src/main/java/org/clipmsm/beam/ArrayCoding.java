package org.clipmsm.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Bulk binary encoding of primitive arrays for the project's coders (8 bytes a double, no per-element calls). */
final class ArrayCoding {
  private static final int CHUNK = 1 << 13;

  private ArrayCoding() {}

  static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
    out.writeInt(a.length);
    ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off < a.length; off += CHUNK) {
      int n = Math.min(CHUNK, a.length - off);
      buf.clear();
      buf.asDoubleBuffer().put(a, off, n);
      out.write(buf.array(), 0, n * 8);
    }
  }

  static double[] readDoubles(DataInputStream in) throws IOException {
    int len = in.readInt();
    double[] a = new double[len];
    byte[] bytes = new byte[CHUNK * 8];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off < len; off += CHUNK) {
      int n = Math.min(CHUNK, len - off);
      in.readFully(bytes, 0, n * 8);
      buf.clear();
      buf.asDoubleBuffer().get(a, off, n);
    }
    return a;
  }

  static DataOutputStream data(OutputStream out) {
    return out instanceof DataOutputStream d ? d : new DataOutputStream(out);
  }

  static DataInputStream data(InputStream in) {
    return in instanceof DataInputStream d ? d : new DataInputStream(in);
  }
}
