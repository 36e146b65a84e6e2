package org.clipmsm.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.clipmsm.linalg.Matrix;

/**
 * A shard of voxel columns: the responses of voxels {@code firstVoxel .. firstVoxel + values.cols() - 1} to every
 * image (rows = images). Voxels are the parallel axis of every transform here.
 */
public record VoxelBlock(long firstVoxel, Matrix values) {

  public int voxels() {
    return values.cols();
  }

  /** Coder: first voxel, then the matrix. */
  public static final class Coder extends CustomCoder<VoxelBlock> {
    private static final long serialVersionUID = 1L;

    public static Coder of() {
      return new Coder();
    }

    @Override
    public void encode(VoxelBlock value, OutputStream out) throws IOException {
      ArrayCoding.data(out).writeLong(value.firstVoxel());
      MatrixCoder.of().encode(value.values(), out);
    }

    @Override
    public VoxelBlock decode(InputStream in) throws IOException {
      long first = ArrayCoding.data(in).readLong();
      return new VoxelBlock(first, MatrixCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
