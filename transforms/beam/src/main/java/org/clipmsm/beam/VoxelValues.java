package org.clipmsm.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** One number per voxel for a block of consecutive voxels (p-values, q-values, ncsnr, noise ceilings, ...). */
public record VoxelValues(long firstVoxel, double[] values) {

  /** Coder: first voxel, then the values. */
  public static final class Coder extends CustomCoder<VoxelValues> {
    private static final long serialVersionUID = 1L;

    public static Coder of() {
      return new Coder();
    }

    @Override
    public void encode(VoxelValues value, OutputStream out) throws IOException {
      var d = ArrayCoding.data(out);
      d.writeLong(value.firstVoxel());
      ArrayCoding.writeDoubles(d, value.values());
      d.flush();
    }

    @Override
    public VoxelValues decode(InputStream in) throws IOException {
      var d = ArrayCoding.data(in);
      long first = d.readLong();
      return new VoxelValues(first, ArrayCoding.readDoubles(d));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
