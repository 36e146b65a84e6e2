package org.clipmsm.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Beam coder of a float[] (an embedding): length, then 4 little-endian bytes a value. */
public final class FloatArrayCoder extends AtomicCoder<float[]> {
  private static final long serialVersionUID = 1L;
  private static final FloatArrayCoder INSTANCE = new FloatArrayCoder();

  public static FloatArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(float[] v, OutputStream out) throws IOException {
    DataOutputStream d = ArrayCoding.data(out);
    d.writeInt(v.length);
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    d.write(b.array());
  }

  @Override
  public float[] decode(InputStream in) throws IOException {
    DataInputStream d = ArrayCoding.data(in);
    int n = d.readInt();
    byte[] bytes = new byte[n * 4];
    d.readFully(bytes);
    float[] v = new float[n];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  @Override
  public void verifyDeterministic() {}
}
