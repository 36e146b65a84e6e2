package org.clipmsm.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** Test R^2 and its bootstrap p-value for a block of consecutive voxels. */
public record SignificanceBlock(long firstVoxel, double[] r2, double[] p) {

  public VoxelValues pValues() {
    return new VoxelValues(firstVoxel, p);
  }

  /** Coder: first voxel, R^2, p. */
  public static final class Coder extends CustomCoder<SignificanceBlock> {
    private static final long serialVersionUID = 1L;

    public static Coder of() {
      return new Coder();
    }

    @Override
    public void encode(SignificanceBlock v, OutputStream out) throws IOException {
      var d = ArrayCoding.data(out);
      d.writeLong(v.firstVoxel());
      ArrayCoding.writeDoubles(d, v.r2());
      ArrayCoding.writeDoubles(d, v.p());
      d.flush();
    }

    @Override
    public SignificanceBlock decode(InputStream in) throws IOException {
      var d = ArrayCoding.data(in);
      long first = d.readLong();
      double[] r2 = ArrayCoding.readDoubles(d);
      return new SignificanceBlock(first, r2, ArrayCoding.readDoubles(d));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
