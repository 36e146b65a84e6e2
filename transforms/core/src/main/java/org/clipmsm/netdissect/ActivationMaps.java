package org.clipmsm.netdissect;

import java.util.Arrays;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;

/**
 * Voxels' spatial activation maps (docs/method.md §5): {@code A_v(i, y, x) = sum_d F_d(i, y, x) W[d, v]}, the dense
 * features of probe image i at position (y, x) times voxel v's encoding weights, for a batch of images and a chunk of
 * voxels: the product {@code (images h w x D) (D x voxels)} with BLAS dgemm, rounded to float32 (the maps are float32
 * as NetDissect-Lite's CNN features were; thresholds and masks are computed from these floats).
 *
 * <p>Bit-identical whatever the chunking. A BLAS computes an element of a product differently depending on the call's
 * shape (OpenBLAS: edge micro-kernels for the rows and columns left over, a separate small-matrix path, thread
 * splits), so the same voxel could get different last bits in a chunk of 7 voxels and in one of 1,000. Every product
 * here is therefore one call of a single fixed shape, {@value #VOXELS_PER_TILE} voxels x {@value #ROWS_PER_TILE}
 * positions x D, zero-padded at the ends, whose sides are multiples of the micro-kernels' so that every element is
 * computed by the same code: its value then does not depend on how voxels are chunked or images batched and ordered
 * ({@code mapsAreBitIdenticalWhateverTheChunkingAndImageOrder} checks this against the BLAS in use, and fails with
 * calls shaped by the chunk). The shape is large enough for dgemm to run near its peak (on a 2-core AVX-512 machine
 * with OpenBLAS's Haswell kernels, 512 x 2048 x 512 reaches about 90% of square 2048 dgemm, 128 x 1024 about 70%);
 * padding costs up to one tile per call, so chunks of a multiple of 512 voxels and batches of several thousand
 * positions waste little.
 *
 * <p>An instance keeps its scratch tiles (about {@code 8 (D + 512) 2048} bytes) for the calls it serves, and {@link
 * #computeInto} writes into the caller's array: large arrays allocated per batch cost as much as the products (fresh
 * pages). Not thread-safe: one instance per worker. The static {@link #compute} allocates both.
 */
public final class ActivationMaps {
  /** Voxel columns of every dgemm call. */
  public static final int VOXELS_PER_TILE = 512;
  /** Image positions (rows) of every dgemm call. */
  public static final int ROWS_PER_TILE = 2048;

  private final MapGeometry geometry;
  private final double[] a;
  private final double[] c;
  private double[] padded;

  /** Scratch tiles for maps of this geometry. */
  public ActivationMaps(MapGeometry geometry) {
    this.geometry = geometry;
    this.a = new double[geometry.features() * ROWS_PER_TILE];
    this.c = new double[VOXELS_PER_TILE * ROWS_PER_TILE];
  }

  /**
   * Maps of a batch of images for a chunk of voxels.
   *
   * @param dense the images' dense features, C-order {@code (images, height, width, features)} float32
   * @param images images in {@code dense}
   * @param geometry {@code height, width, features} of the dense array
   * @param weights the chunk's encoding weights, {@code features x voxels} (columns of weights.npy)
   * @return {@code maps[(image * height * width + y * width + x) * voxels + v]}: position rows, voxel innermost
   */
  public static float[] compute(float[] dense, int images, MapGeometry geometry, Matrix weights) {
    InvalidParameterException.require(dense.length == geometry.values(images), "dense",
        "expected " + images + " x " + geometry.height() + " x " + geometry.width() + " x " + geometry.features()
            + " = " + geometry.values(images) + " values, got " + dense.length);
    return compute(dense, 0, images, geometry, weights);
  }

  /**
   * Maps of images {@code firstImage .. firstImage + images - 1} of {@code dense}, as {@link #compute(float[], int,
   * MapGeometry, Matrix)}.
   */
  public static float[] compute(float[] dense, int firstImage, int images, MapGeometry geometry, Matrix weights) {
    long size = checkedSize(dense, firstImage, images, geometry, weights);
    float[] out = new float[(int) size];
    new ActivationMaps(geometry).computeInto(dense, firstImage, images, weights, out);
    return out;
  }

  /**
   * Writes the maps of images {@code firstImage .. firstImage + images - 1} of {@code dense} into {@code out[0 ..
   * images h w voxels)}, laid out as {@link #compute(float[], int, MapGeometry, Matrix)} returns them.
   */
  public void computeInto(float[] dense, int firstImage, int images, Matrix weights, float[] out) {
    long size = checkedSize(dense, firstImage, images, geometry, weights);
    InvalidParameterException.require(out.length >= size, "out",
        "expected room for " + size + " values, got " + out.length);
    int d = geometry.features();
    int m = weights.cols();
    int positions = geometry.positions();
    // |map| <= max |F| x sum_d |W[d, v]|: below the float range, no map can overflow, so no value needs a check.
    double maxL1 = 0;
    for (int v = 0; v < m; v++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += Math.abs(weights.get(k, v));
      }
      if (!Double.isFinite(s)) {
        throw nonFiniteWeight(weights);
      }
      maxL1 = Math.max(maxL1, s);
    }
    double bound = maxL1;
    products(dense, firstImage, images, weights, (tile, maxAbs, r0, nr, v0, nv) -> {
      if (!(maxAbs <= Float.MAX_VALUE)) {
        throw nonFiniteFeature(dense, firstImage, images);
      }
      boolean safe = maxAbs * bound * (1 + 1e-6) < Float.MAX_VALUE;
      for (int i = 0; i < nr; i++) {
        int o = (int) ((r0 + i) * m) + v0;
        int ci = i * VOXELS_PER_TILE;
        if (safe) {
          for (int j = 0; j < nv; j++) {
            out[o + j] = (float) tile[ci + j];
          }
        } else {
          for (int j = 0; j < nv; j++) {
            float f = (float) tile[ci + j];
            if (!Float.isFinite(f)) {
              throw new InvalidParameterException("dense/weights", "the map of voxel " + (v0 + j) + " of the chunk"
                  + " at image " + (firstImage + (r0 + i) / positions) + ", position " + ((r0 + i) % positions)
                  + " is " + tile[ci + j] + ", beyond float32");
            }
            out[o + j] = f;
          }
        }
      }
    });
  }

  private static long checkedSize(float[] dense, int firstImage, int images, MapGeometry geometry, Matrix weights) {
    int d = geometry.features();
    InvalidParameterException.require(images >= 0 && firstImage >= 0, "firstImage/images",
        "expected a range of images >= 0, got " + firstImage + " and " + images);
    InvalidParameterException.require(geometry.values((long) firstImage + images) <= dense.length, "dense",
        "expected at least " + ((long) firstImage + images) + " x " + geometry.height() + " x " + geometry.width()
            + " x " + d + " = " + geometry.values((long) firstImage + images) + " values, got " + dense.length);
    InvalidParameterException.require(weights.rows() == d, "weights",
        "expected " + d + " rows (one per feature of the dense array), got " + weights.rows());
    long size = (long) images * geometry.positions() * weights.cols();
    InvalidParameterException.require(size <= Integer.MAX_VALUE - 8, "images/weights",
        images + " images x " + geometry.positions() + " positions x " + weights.cols()
            + " voxels exceed one array; use smaller batches");
    return size;
  }

  /**
   * Receives one product tile: {@code tile[i * VOXELS_PER_TILE + j]} = row {@code r0 + i}, voxel {@code v0 + j};
   * {@code maxAbs} is the largest {@code |F|} of the tile's rows (NaN or infinite if one is not finite).
   */
  interface TileSink {
    void accept(double[] tile, double maxAbs, long r0, int nr, int v0, int nv);
  }

  /** The double products, tile by tile, each from one dgemm call of the fixed shape (checked arguments). */
  void products(float[] dense, int firstImage, int images, Matrix weights, TileSink sink) {
    int d = geometry.features();
    int m = weights.cols();
    long rows = (long) images * geometry.positions();
    if (rows == 0 || m == 0) {
      return;
    }
    double[] w = weights.data();
    for (long r0 = 0; r0 < rows; r0 += ROWS_PER_TILE) {
      int nr = (int) Math.min(ROWS_PER_TILE, rows - r0);
      int src = (int) (geometry.values(firstImage) + r0 * d);
      float maxAbs = 0;
      for (int k = 0; k < nr * d; k++) {
        float x = dense[src + k];
        a[k] = x;
        maxAbs = Math.max(maxAbs, Math.abs(x));
      }
      Arrays.fill(a, nr * d, a.length, 0.0);
      for (int v0 = 0; v0 < m; v0 += VOXELS_PER_TILE) {
        int nv = Math.min(VOXELS_PER_TILE, m - v0);
        double[] b = w;
        int offset = v0 * d;
        if (nv < VOXELS_PER_TILE) {
          if (padded == null) {
            padded = new double[d * VOXELS_PER_TILE];
          }
          System.arraycopy(w, v0 * d, padded, 0, nv * d);
          Arrays.fill(padded, nv * d, padded.length, 0.0);
          b = padded;
          offset = 0;
        }
        // C (voxels x rows, column-major) = W_tile^T (voxels x D) A_tile (D x rows): one fixed shape for every call.
        Linalg.blas().dgemm("T", "N", VOXELS_PER_TILE, ROWS_PER_TILE, d, 1.0, b, offset, d, a, 0, d, 0.0, c, 0,
            VOXELS_PER_TILE);
        sink.accept(c, maxAbs, r0, nr, v0, nv);
      }
    }
  }

  private InvalidParameterException nonFiniteFeature(float[] dense, int firstImage, int images) {
    int per = (int) geometry.values(1);
    int d = geometry.features();
    for (long k = geometry.values(firstImage); k < geometry.values((long) firstImage + images); k++) {
      float f = dense[(int) k];
      if (!Float.isFinite(f)) {
        return new InvalidParameterException("dense", "expected finite features, got " + f + " at image " + k / per
            + ", position " + (k % per) / d + ", feature " + k % d);
      }
    }
    return new InvalidParameterException("dense", "expected finite features");
  }

  private static InvalidParameterException nonFiniteWeight(Matrix weights) {
    int[] bad = weights.firstNonFinite();
    return new InvalidParameterException("weights", "expected finite weights, got " + weights.get(bad[0], bad[1])
        + " at feature " + bad[0] + ", voxel " + bad[1] + " of the chunk");
  }
}
