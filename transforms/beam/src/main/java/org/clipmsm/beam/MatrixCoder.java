package org.clipmsm.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.clipmsm.linalg.Matrix;

/** Beam coder for {@link Matrix}: rows, columns, then the column-major values. Deterministic. */
public final class MatrixCoder extends CustomCoder<Matrix> {
  private static final long serialVersionUID = 1L;
  private static final MatrixCoder INSTANCE = new MatrixCoder();

  public static MatrixCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Matrix value, OutputStream outStream) throws IOException {
    DataOutputStream out = ArrayCoding.data(outStream);
    out.writeInt(value.rows());
    out.writeInt(value.cols());
    ArrayCoding.writeDoubles(out, value.data());
    out.flush();
  }

  @Override
  public Matrix decode(InputStream inStream) throws IOException {
    DataInputStream in = ArrayCoding.data(inStream);
    int rows = in.readInt();
    int cols = in.readInt();
    return new Matrix(rows, cols, ArrayCoding.readDoubles(in));
  }

  @Override
  public void verifyDeterministic() {}
}
