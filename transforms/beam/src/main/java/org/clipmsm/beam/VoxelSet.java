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

  /**
   * Serialized as runs of consecutive voxels: the DoFns that hold sets are copied by serialization (DirectRunner
   * clones a DoFn per bundle), and the set of all 300,000 voxels of a cortex would be 2.4 MB each time; as runs it
   * is a few bytes.
   */
  private Object writeReplace() {
    int runs = 0;
    for (int i = 0; i < voxels.length; i++) {
      if (i == 0 || voxels[i] != voxels[i - 1] + 1) {
        runs++;
      }
    }
    long[] starts = new long[runs];
    int[] lengths = new int[runs];
    int r = -1;
    for (int i = 0; i < voxels.length; i++) {
      if (i == 0 || voxels[i] != voxels[i - 1] + 1) {
        starts[++r] = voxels[i];
      }
      lengths[r]++;
    }
    return new Runs(name, starts, lengths);
  }

  /** The serialized form of a {@link VoxelSet}. */
  private record Runs(String name, long[] starts, int[] lengths) implements Serializable {
    private Object readResolve() {
      int n = 0;
      for (int len : lengths) {
        n += len;
      }
      long[] v = new long[n];
      int k = 0;
      for (int r = 0; r < starts.length; r++) {
        for (int j = 0; j < lengths[r]; j++) {
          v[k++] = starts[r] + j;
        }
      }
      return new VoxelSet(name, v);
    }
  }

  private int lowerBound(long v) {
    int i = Arrays.binarySearch(voxels, v);
    if (i >= 0) {
      return i;
    }
    return -i - 1;
  }
}
