package org.clipmsm.netdissect;

import java.io.Serializable;
import org.clipmsm.InvalidParameterException;

/**
 * The thresholds {@code T_v} of a chunk of voxels: for each voxel the {@code 1 - quantile} quantile of its map values
 * over all positions of all probe images, exactly as {@code numpy.quantile(values, 1 - quantile)} (see {@link
 * NumpyQuantile}), computed from a stream of map blocks in bounded memory.
 *
 * <p>Exact and bounded at once: with {@code n} values per voxel, NumPy's linear quantile reads only the ascending
 * order statistics {@code i = floor((n - 1) (1 - q))} and {@code i + 1}, which are the smallest two of the largest
 * {@code K = n - i <= ceil(n q) + 1} values. Each voxel keeps a buffer of at most {@code K + max(K, 256)} floats;
 * when it fills, selection keeps its {@code K} largest and the smallest of those becomes a floor below which later
 * values are dropped on arrival (a value equal to the floor cannot change the {@code K} largest as a multiset). The
 * {@code K} largest of a multiset do not depend on the order the values come in nor on how the stream is split and
 * {@link #merge merged}, so the thresholds are bit-identical for any order of images and any batching. Memory is
 * {@code 4 (K + max(K, 256))} bytes per voxel: for 10,000 images of 7 x 7 positions and q = 0.005, K = 2,451 (20 KB);
 * no approximate sketch is needed at any size.
 *
 * <p>Maps come as NetDissect's activation maps do from {@link ActivationMaps}: rows (image positions) of one value
 * per voxel, the voxel innermost. Not thread-safe: one instance per worker, merged afterwards.
 */
public final class UpperQuantiles implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MIN_SLACK = 256;

  private final int voxels;
  private final long count;
  private final double quantile;
  private final long lower;
  private final double gamma;
  private final int keep;
  private final int capacity;
  private final float[][] buffer;
  private final int[] size;
  private final float[] floor;
  private long seen;

  private UpperQuantiles(int voxels, long count, double quantile) {
    this.voxels = voxels;
    this.count = count;
    this.quantile = quantile;
    double level = 1.0 - quantile;
    this.lower = NumpyQuantile.lowerIndex(count, level);
    this.gamma = NumpyQuantile.gamma(count, level);
    long k = count - lower;
    InvalidParameterException.require(k <= Integer.MAX_VALUE / 2 - MIN_SLACK, "count/quantile",
        "the top " + k + " values per voxel that an exact quantile needs do not fit in one array");
    this.keep = (int) k;
    this.capacity = keep + Math.max(keep, MIN_SLACK);
    this.buffer = new float[voxels][];
    this.size = new int[voxels];
    this.floor = new float[voxels];
    java.util.Arrays.fill(floor, Float.NEGATIVE_INFINITY);
  }

  /**
   * @param voxels voxels in the chunk
   * @param count values that each voxel will receive in all: probe images x positions per image
   * @param quantile the top fraction above the threshold, in (0, 1) (NetDissect-Lite's QUANTILE, 0.005)
   */
  public static UpperQuantiles create(int voxels, long count, double quantile) {
    InvalidParameterException.require(voxels >= 0, "voxels", "expected a number of voxels >= 0, got " + voxels);
    InvalidParameterException.require(count > 0, "count", "expected a positive number of values, got " + count);
    return new UpperQuantiles(voxels, count, NetDissection.checkQuantile(quantile));
  }

  /** The largest values per voxel that the exact quantile needs ({@code K} above). */
  public int kept() {
    return keep;
  }

  public int voxels() {
    return voxels;
  }

  /** Values received so far by each voxel. */
  public long seen() {
    return seen;
  }

  /** Adds all rows of {@code maps} (length = rows x voxels, voxel innermost). */
  public void add(float[] maps) {
    InvalidParameterException.require(voxels > 0 ? maps.length % voxels == 0 : maps.length == 0, "maps",
        "expected rows of " + voxels + " values, got " + maps.length + " values");
    add(maps, 0, voxels == 0 ? 0 : maps.length / voxels);
  }

  /** Adds {@code rows} rows of {@code voxels} values starting at {@code maps[offset]}. */
  public void add(float[] maps, int offset, int rows) {
    InvalidParameterException.require(rows >= 0 && offset >= 0 && offset + (long) rows * voxels <= maps.length,
        "maps", "expected " + rows + " rows of " + voxels + " values from index " + offset + ", got "
            + maps.length + " values");
    InvalidParameterException.require(seen + rows <= count, "maps",
        "more than the declared " + count + " values per voxel");
    for (int r = 0; r < rows; r++) {
      int base = offset + r * voxels;
      for (int j = 0; j < voxels; j++) {
        float v = maps[base + j];
        if (v > floor[j] && v < Float.POSITIVE_INFINITY) {
          push(j, v);
        } else if (!(v > Float.NEGATIVE_INFINITY && v < Float.POSITIVE_INFINITY)) {
          throw new InvalidParameterException("maps", "expected finite values, got " + v + " in row " + r
              + " for voxel " + j);
        }
      }
    }
    seen += rows;
  }

  /** Adds what {@code other}, an accumulator of the same chunk over other images, has received. */
  public void merge(UpperQuantiles other) {
    InvalidParameterException.require(other.voxels == voxels && other.count == count && other.quantile == quantile,
        "other", "expected an accumulator of " + voxels + " voxels, " + count + " values, quantile " + quantile);
    InvalidParameterException.require(seen + other.seen <= count, "other",
        "more than the declared " + count + " values per voxel");
    for (int j = 0; j < voxels; j++) {
      float[] b = other.buffer[j];
      for (int k = 0; k < other.size[j]; k++) {
        if (b[k] > floor[j]) {
          push(j, b[k]);
        }
      }
    }
    seen += other.seen;
  }

  private void push(int j, float v) {
    float[] b = buffer[j];
    if (b == null) {
      b = buffer[j] = new float[(int) Math.min(capacity, count)];
    }
    int s = size[j];
    if (s == b.length) {
      compact(j);
      if (!(v > floor[j])) {
        return;
      }
      s = size[j];
    }
    b[s] = v;
    size[j] = s + 1;
  }

  /** Keeps voxel j's {@code keep} largest values (when it has more) and raises its floor to their minimum. */
  private void compact(int j) {
    float[] b = buffer[j];
    int s = size[j];
    if (s <= keep) {
      return;
    }
    Selection.select(b, 0, s, s - keep);
    System.arraycopy(b, s - keep, b, 0, keep);
    size[j] = keep;
    floor[j] = b[0];
  }

  /**
   * Each voxel's threshold {@code T_v}, once every voxel has received its {@code count} values: {@code
   * numpy.quantile(values, 1 - quantile)}.
   */
  public double[] thresholds() {
    InvalidParameterException.require(seen == count, "count",
        "declared " + count + " values per voxel, but " + seen + " were added");
    double[] t = new double[voxels];
    for (int j = 0; j < voxels; j++) {
      compact(j);
      float[] b = buffer[j];
      // The kept values are the largest n - lower: their smallest is x_(lower), the next one x_(lower + 1).
      float a = Float.POSITIVE_INFINITY;
      float next = Float.POSITIVE_INFINITY;
      for (int k = 0; k < size[j]; k++) {
        float v = b[k];
        if (v < a) {
          next = a;
          a = v;
        } else if (v < next) {
          next = v;
        }
      }
      if (lower + 1 >= count) {
        next = a;
      }
      t[j] = NumpyQuantile.lerp(a, next, gamma);
    }
    return t;
  }
}
