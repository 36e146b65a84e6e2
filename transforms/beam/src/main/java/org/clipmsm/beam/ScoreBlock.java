package org.clipmsm.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Scores of a shard of voxels over every label: row r is voxel {@code voxels[r]}, {@code scores} is row-major
 * (voxels x labels). {@code firstRow} is the position of row 0 in the whole output of its voxel set (for the set of
 * all voxels, the first voxel itself), so shards write their rows in place.
 */
public record ScoreBlock(long firstRow, long[] voxels, int labels, double[] scores) {

  public ScoreBlock {
    if ((long) voxels.length * labels != scores.length) {
      throw new IllegalArgumentException(voxels.length + " voxels x " + labels + " labels, but " + scores.length
          + " scores");
    }
  }

  public int rows() {
    return voxels.length;
  }

  /** Consecutive voxels first, first + 1, ... */
  public static ScoreBlock consecutive(long first, int rows, int labels, double[] scores) {
    long[] v = new long[rows];
    for (int r = 0; r < rows; r++) {
      v[r] = first + r;
    }
    return new ScoreBlock(first, v, labels, scores);
  }

  /** Coder: first row, voxels, labels, scores. Deterministic. */
  public static final class Coder extends CustomCoder<ScoreBlock> {
    private static final long serialVersionUID = 1L;

    public static Coder of() {
      return new Coder();
    }

    @Override
    public void encode(ScoreBlock value, OutputStream outStream) throws IOException {
      var out = ArrayCoding.data(outStream);
      out.writeLong(value.firstRow());
      out.writeInt(value.voxels().length);
      for (long v : value.voxels()) {
        out.writeLong(v);
      }
      out.writeInt(value.labels());
      ArrayCoding.writeDoubles(out, value.scores());
      out.flush();
    }

    @Override
    public ScoreBlock decode(InputStream inStream) throws IOException {
      var in = ArrayCoding.data(inStream);
      long first = in.readLong();
      long[] voxels = new long[in.readInt()];
      for (int r = 0; r < voxels.length; r++) {
        voxels[r] = in.readLong();
      }
      int labels = in.readInt();
      return new ScoreBlock(first, voxels, labels, ArrayCoding.readDoubles(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
