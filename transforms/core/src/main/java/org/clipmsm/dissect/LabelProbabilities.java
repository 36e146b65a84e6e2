package org.clipmsm.dissect;

import java.io.Serializable;
import java.util.stream.IntStream;
import org.clipmsm.linalg.Matrix;

/**
 * P' = softmax(a P) over labels, for each image (docs/method.md §4.2), stored in tiles of consecutive labels: tile t
 * holds labels [t T, t T + width) of every image, one short array per image. A voxel's score for a tile reads one
 * such row per top image, and a tile of about 10 MB stays in the shared cache while every voxel passes over it. Rows
 * are separate arrays because the JIT vectorises {@code prod[d] *= fma(w, row[d], a)} only when both arrays are
 * indexed alike (with an offset into one big array it cannot rule out overlap and stays scalar, 2-3x slower).
 *
 * <p>Each image's softmax is computed as torch does it: e_d = exp(a P[i, d] - max_d a P[i, d]), then e_d / sum(e), the
 * sum taken over labels in label order, so the values depend only on P and a.
 */
public final class LabelProbabilities implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Labels per tile: 10,000 images x 128 labels x 8 bytes = 10 MB, two tiles in the shared L3, chosen by measurement. */
  public static final int DEFAULT_TILE = 128;
  private static final int IMAGE_BLOCK = 32;

  private final int images;
  private final int labels;
  private final int tile;
  private final double[][][] tiles;

  private LabelProbabilities(int images, int labels, int tile, double[][][] tiles) {
    this.images = images;
    this.labels = labels;
    this.tile = tile;
    this.tiles = tiles;
  }

  public static LabelProbabilities softmax(Matrix p, double a) {
    return softmax(p, a, DEFAULT_TILE);
  }

  /** @param p images x labels similarities */
  public static LabelProbabilities softmax(Matrix p, double a, int tile) {
    int n = p.rows();
    int labels = p.cols();
    if (tile < 1) {
      throw new IllegalArgumentException("tile " + tile);
    }
    int count = (labels + tile - 1) / tile;
    double[][][] tiles = new double[count][n][];
    for (int t = 0; t < count; t++) {
      for (int i = 0; i < n; i++) {
        tiles[t][i] = new double[Math.min(tile, labels - t * tile)];
      }
    }
    double[] data = p.data();
    // Image blocks are independent: every image's softmax is done by one task in label order. P is column-major, so a
    // block's rows are first gathered (one pass over P, reading IMAGE_BLOCK contiguous values per label), then each row
    // is processed contiguously.
    IntStream.range(0, (n + IMAGE_BLOCK - 1) / IMAGE_BLOCK).parallel().forEach(b -> {
      int i0 = b * IMAGE_BLOCK;
      int i1 = Math.min(n, i0 + IMAGE_BLOCK);
      double[] rows = new double[(i1 - i0) * labels];
      for (int d = 0; d < labels; d++) {
        int col = d * n;
        for (int i = i0; i < i1; i++) {
          rows[(i - i0) * labels + d] = a * data[i + col];
        }
      }
      for (int i = i0; i < i1; i++) {
        int o = (i - i0) * labels;
        double max = Double.NEGATIVE_INFINITY;
        for (int d = 0; d < labels; d++) {
          max = Math.max(max, rows[o + d]);
        }
        double sum = 0;
        for (int d = 0; d < labels; d++) {
          double e = Math.exp(rows[o + d] - max);
          sum += e;
          rows[o + d] = e;
        }
        for (int t = 0; t < count; t++) {
          double[] row = tiles[t][i];
          int base = o + t * tile;
          for (int dd = 0; dd < row.length; dd++) {
            row[dd] = rows[base + dd] / sum;
          }
        }
      }
    });
    return new LabelProbabilities(n, labels, tile, tiles);
  }

  private static int width(int labels, int tile, int t) {
    return Math.min(tile, labels - t * tile);
  }

  public int images() {
    return images;
  }

  public int labels() {
    return labels;
  }

  public int tile() {
    return tile;
  }

  public int tileCount() {
    return tiles.length;
  }

  /** Labels in tile t. */
  public int width(int t) {
    return width(labels, tile, t);
  }

  /** Tile t's rows: row i holds image i's width(t) values (not a copy). */
  double[][] tileRows(int t) {
    return tiles[t];
  }

  /** P'[i, d]. */
  public double get(int i, int d) {
    return tiles[d / tile][i][d % tile];
  }
}
