package org.clipmsm.beam;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A named set of voxels dissected together (one ROI, or the union of ROIs): SoftWPMI's and WPMI's log p(d) is taken
 * over exactly these voxels, so the same voxel gets different scores in different sets. Voxels are sorted and
 * distinct; row r of the set's outputs is its r-th voxel.
 */
public record VoxelSet(String name, long[] voxels) implements Serializable {
  public VoxelSet {
    voxels = voxels.clone();
    Arrays.sort(voxels);
    for (int i = 1; i < voxels.length; i++) {
      if (voxels[i] == voxels[i - 1]) {
        throw new IllegalArgumentException("voxel set " + name + ": voxel " + voxels[i] + " listed twice");
      }
    }
  }

  /** Every voxel 0 .. count - 1, named "all". */
  public static VoxelSet all(long count) {
    long[] v = new long[(int) count];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return new VoxelSet("all", v);
  }

  public int size() {
    return voxels.length;
  }

  /** The rows of the set within voxels [first, first + count): [from, to) indices into {@link #voxels()}. */
  public int[] rowsWithin(long first, long count) {
    int from = lowerBound(first);
    int to = lowerBound(first + count);
    return new int[] {from, to};
  }

  private int lowerBound(long v) {
    int i = Arrays.binarySearch(voxels, v);
    if (i >= 0) {
      return i;
    }
    return -i - 1;
  }
}
