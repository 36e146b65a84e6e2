package org.clipmsm.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** Coder of a {@code double[]}: length, then the values. Deterministic. */
public final class DoubleArrayCoder extends CustomCoder<double[]> {
  private static final long serialVersionUID = 1L;

  public static DoubleArrayCoder of() {
    return new DoubleArrayCoder();
  }

  @Override
  public void encode(double[] value, OutputStream out) throws IOException {
    var d = ArrayCoding.data(out);
    ArrayCoding.writeDoubles(d, value);
    d.flush();
  }

  @Override
  public double[] decode(InputStream in) throws IOException {
    return ArrayCoding.readDoubles(ArrayCoding.data(in));
  }

  @Override
  public void verifyDeterministic() {}
}
