package org.clipmsm.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.clipmsm.linalg.ExactSums;

/**
 * Beam coder of {@link ExactSums}: the number of indices, then each index's partials (count, then the doubles).
 * Java serialization of the same value, one array object per index, was the slowest step of a dissection.
 */
public final class ExactSumsCoder extends AtomicCoder<ExactSums> {
  private static final long serialVersionUID = 1L;
  private static final ExactSumsCoder INSTANCE = new ExactSumsCoder();

  public static ExactSumsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ExactSums value, OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(value.size());
    for (int i = 0; i < value.size(); i++) {
      double[] p = value.partials(i);
      d.writeInt(p.length);
      for (double x : p) {
        d.writeDouble(x);
      }
    }
    d.flush();
  }

  @Override
  public ExactSums decode(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    double[][] partials = new double[d.readInt()][];
    for (int i = 0; i < partials.length; i++) {
      partials[i] = new double[d.readInt()];
      for (int j = 0; j < partials[i].length; j++) {
        partials[i][j] = d.readDouble();
      }
    }
    return ExactSums.ofPartials(partials);
  }

  /** Equal sums may hold different partials (they depend on the order of the additions): never a key. */
  @Override
  public void verifyDeterministic() throws Coder.NonDeterministicException {
    throw new Coder.NonDeterministicException(this, "the partials of equal sums depend on the order of the additions");
  }
}
