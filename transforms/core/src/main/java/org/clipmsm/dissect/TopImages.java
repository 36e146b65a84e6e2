package org.clipmsm.dissect;

import org.clipmsm.linalg.Matrix;

/**
 * Each voxel's top images by activation Q (docs/method.md §4.2), in rank order. Ties are broken deterministically:
 * a higher activation ranks first and, among equal activations, the lower image index ranks first (torch.topk
 * leaves the order of ties unspecified). Activations must not be NaN (the callers check).
 */
public final class TopImages {
  private TopImages() {}

  /**
   * @param q images x voxels activations
   * @return voxels x k image indices, row-major: voxel j's rank-i image at {@code j * k + i}
   */
  public static int[] select(Matrix q, int k) {
    int n = q.rows();
    int m = q.cols();
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("k = " + k + " top images of " + n);
    }
    int[] out = new int[m * k];
    if (k == 0) {
      return out;
    }
    double[] data = q.data();
    // Voxels are independent; chunks of them run in parallel.
    java.util.stream.IntStream.range(0, (m + 63) / 64).parallel().forEach(c -> {
      int[] heapIdx = new int[k];
      double[] heapVal = new double[k];
      for (int j = c * 64; j < Math.min(m, c * 64 + 64); j++) {
        selectColumn(data, j * n, n, k, heapVal, heapIdx, out, j * k);
      }
    });
    return out;
  }

  private static void selectColumn(double[] data, int off, int n, int k, double[] heapVal, int[] heapIdx, int[] out,
      int outOff) {
    // A min-heap of the k best so far; its root is the worst of them ("worse" = lower value, then higher index).
    for (int i = 0; i < k; i++) {
      heapVal[i] = data[off + i];
      heapIdx[i] = i;
      siftUp(heapVal, heapIdx, i);
    }
    double worst = heapVal[0];
    for (int i = k; i < n; i++) {
      double v = data[off + i];
      // Image i has a higher index than every image in the heap, so it enters only with a strictly higher value.
      if (v > worst) {
        heapVal[0] = v;
        heapIdx[0] = i;
        siftDown(heapVal, heapIdx, 0, k);
        worst = heapVal[0];
      }
    }
    // Pop the worst to the end: the array ends in rank order, best first.
    for (int size = k; size > 0; size--) {
      out[outOff + size - 1] = heapIdx[0];
      heapVal[0] = heapVal[size - 1];
      heapIdx[0] = heapIdx[size - 1];
      siftDown(heapVal, heapIdx, 0, size - 1);
    }
  }

  /** Whether (va, ia) ranks below (vb, ib). */
  private static boolean worse(double va, int ia, double vb, int ib) {
    return va < vb || (va == vb && ia > ib);
  }

  private static void siftUp(double[] val, int[] idx, int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(val[i], idx[i], val[parent], idx[parent])) {
        return;
      }
      swap(val, idx, i, parent);
      i = parent;
    }
  }

  private static void siftDown(double[] val, int[] idx, int i, int size) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int r = l + 1;
      int w = r < size && worse(val[r], idx[r], val[l], idx[l]) ? r : l;
      if (!worse(val[w], idx[w], val[i], idx[i])) {
        return;
      }
      swap(val, idx, i, w);
      i = w;
    }
  }

  private static void swap(double[] val, int[] idx, int a, int b) {
    double tv = val[a];
    val[a] = val[b];
    val[b] = tv;
    int ti = idx[a];
    idx[a] = idx[b];
    idx[b] = ti;
  }
}
