package org.clipmsm.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.ridge.RidgeBlockResult;

/** Beam coder for {@link RidgeBlockResult}. Deterministic. */
public final class RidgeBlockResultCoder extends CustomCoder<RidgeBlockResult> {
  private static final long serialVersionUID = 1L;

  public static RidgeBlockResultCoder of() {
    return new RidgeBlockResultCoder();
  }

  @Override
  public void encode(RidgeBlockResult v, OutputStream outStream) throws IOException {
    DataOutputStream out = ArrayCoding.data(outStream);
    out.writeLong(v.firstVoxel());
    MatrixCoder.of().encode(v.weights(), out);
    ArrayCoding.writeDoubles(out, v.bias());
    ArrayCoding.writeDoubles(out, v.intercept());
    ArrayCoding.writeDoubles(out, v.featureMean());
    ArrayCoding.writeDoubles(out, v.alpha());
    ArrayCoding.writeDoubles(out, v.validationMse());
    MatrixCoder.of().encode(v.testPredictions(), out);
    MatrixCoder.of().encode(v.testResponses(), out);
    ArrayCoding.writeDoubles(out, v.r2());
    ArrayCoding.writeDoubles(out, v.r());
    out.flush();
  }

  @Override
  public RidgeBlockResult decode(InputStream inStream) throws IOException {
    DataInputStream in = ArrayCoding.data(inStream);
    long first = in.readLong();
    Matrix w = MatrixCoder.of().decode(in);
    double[] bias = ArrayCoding.readDoubles(in);
    double[] intercept = ArrayCoding.readDoubles(in);
    double[] featureMean = ArrayCoding.readDoubles(in);
    double[] alpha = ArrayCoding.readDoubles(in);
    double[] mse = ArrayCoding.readDoubles(in);
    Matrix pred = MatrixCoder.of().decode(in);
    Matrix actual = MatrixCoder.of().decode(in);
    double[] r2 = ArrayCoding.readDoubles(in);
    double[] r = ArrayCoding.readDoubles(in);
    return new RidgeBlockResult(first, w, bias, intercept, featureMean, alpha, mse, pred, actual, r2, r);
  }

  @Override
  public void verifyDeterministic() {}
}
