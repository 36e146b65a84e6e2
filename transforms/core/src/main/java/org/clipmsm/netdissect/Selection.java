package org.clipmsm.netdissect;

import java.util.Arrays;

/**
 * In-place selection on floats: after {@code select(a, from, to, k)}, {@code a[k]} holds the value a full ascending
 * sort would put there, values before it are {@code <=} and values after it {@code >=}. Quickselect with a median of
 * three, falling back to a sort of the remaining range after {@code 2 log2(n)} rounds, so O(n) expected and O(n log n)
 * at worst. Which value sits where besides {@code k} depends on the input order; the selected value does not.
 */
final class Selection {
  private static final int SMALL = 16;

  private Selection() {}

  static void select(float[] a, int from, int to, int k) {
    int lo = from;
    int hi = to - 1;
    int rounds = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, to - from)));
    while (hi - lo >= SMALL) {
      if (rounds-- == 0) {
        Arrays.sort(a, lo, hi + 1);
        return;
      }
      int mid = (lo + hi) >>> 1;
      // Median of three into a[mid]; a[lo] <= a[mid] <= a[hi] act as sentinels.
      if (a[mid] < a[lo]) {
        swap(a, mid, lo);
      }
      if (a[hi] < a[lo]) {
        swap(a, hi, lo);
      }
      if (a[hi] < a[mid]) {
        swap(a, hi, mid);
      }
      float pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      // Now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] == pivot.
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return;
      }
    }
    Arrays.sort(a, lo, hi + 1);
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
