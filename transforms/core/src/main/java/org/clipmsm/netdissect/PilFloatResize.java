package org.clipmsm.netdissect;

import org.clipmsm.InvalidParameterException;

/**
 * Pillow's bilinear resampling of a 32-bit float ('F' mode) image, {@code Image.resize((outWidth, outHeight),
 * Image.BILINEAR)}, bit for bit: what NetDissect-Lite's {@code scipy.misc.imresize(map, (sh, sw), mode='F')} did to
 * a unit's activation map before thresholding it.
 *
 * <p>Pillow's {@code libImaging/Resample.c}: {@code precompute_coeffs} places output pixel {@code i}'s centre at
 * {@code (i + 0.5) * in / out} in input coordinates, stretches the triangle filter's support 1 by the scale when
 * shrinking ({@code filterscale = max(in / out, 1)}), takes the input pixels {@code [(int) (centre - support + 0.5),
 * (int) (centre + support + 0.5))} clipped to the image, weighs each by the triangle at {@code (x - centre + 0.5) /
 * filterscale} and divides by the weights' sum (all in double). {@code ImagingResampleHorizontal_32bpc} then
 * {@code _Vertical_32bpc} sum {@code pixel * weight} in double, from 0.0, in increasing input order, and store each
 * pass's result as a float; a pass is skipped when its size does not change (the result would be the same).
 *
 * <p>{@link org.clipmsm.image.PilResize} holds the same coefficient computation for 8-bit images, but keeps it
 * private and converts it to fixed point; the float path needs the double weights, hence {@link Coefficients}.
 */
public final class PilFloatResize {
  private PilFloatResize() {}

  /**
   * One pass's filter, as {@code precompute_coeffs} computes it for the bilinear filter: output pixel {@code i}
   * reads input pixels {@code first(i) .. first(i) + count(i) - 1} with weights {@code weight(i, 0 .. count(i) - 1)}.
   * The weights are non-negative and sum to 1 up to rounding, so an output never exceeds its inputs' maximum.
   */
  public static final class Coefficients {
    private final int inSize;
    private final int outSize;
    private final int stride;
    private final int[] first;
    private final int[] count;
    private final double[] weights;

    private Coefficients(int inSize, int outSize, int stride, int[] first, int[] count, double[] weights) {
      this.inSize = inSize;
      this.outSize = outSize;
      this.stride = stride;
      this.first = first;
      this.count = count;
      this.weights = weights;
    }

    /** The bilinear (triangle, support 1) filter from {@code inSize} to {@code outSize} pixels. */
    public static Coefficients bilinear(int inSize, int outSize) {
      InvalidParameterException.require(inSize > 0, "inSize", "expected a positive size, got " + inSize);
      InvalidParameterException.require(outSize > 0, "outSize", "expected a positive size, got " + outSize);
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = 1.0 * filterScale;
      int stride = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[outSize];
      int[] count = new int[outSize];
      double[] weights = new double[outSize * stride];
      double ss = 1.0 / filterScale;
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        int xmin = Math.max(0, (int) (center - support + 0.5));
        int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
        double ww = 0.0;
        int k = xx * stride;
        for (int x = 0; x < xmax; x++) {
          double w = triangle((x + xmin - center + 0.5) * ss);
          weights[k + x] = w;
          ww += w;
        }
        if (ww != 0.0) {
          for (int x = 0; x < xmax; x++) {
            weights[k + x] /= ww;
          }
        }
        first[xx] = xmin;
        count[xx] = Math.max(0, xmax);
      }
      return new Coefficients(inSize, outSize, stride, first, count, weights);
    }

    private static double triangle(double x) {
      x = Math.abs(x);
      return x < 1.0 ? 1.0 - x : 0.0;
    }

    public int inSize() {
      return inSize;
    }

    public int outSize() {
      return outSize;
    }

    /** First input pixel that output pixel {@code out} reads. */
    public int first(int out) {
      return first[out];
    }

    /** How many input pixels output pixel {@code out} reads (the taps). */
    public int count(int out) {
      return count[out];
    }

    /** Weight of tap {@code tap} (input pixel {@code first(out) + tap}) of output pixel {@code out}. */
    public double weight(int out, int tap) {
      return weights[out * stride + tap];
    }

    /** Applies this pass to one line of {@code inSize} values read at {@code in[offset + i * step]}. */
    float apply(float[] in, int offset, int step, int out) {
      double s = 0.0;
      int k = out * stride;
      int f = first[out];
      for (int t = 0; t < count[out]; t++) {
        s += in[offset + (f + t) * step] * weights[k + t];
      }
      return (float) s;
    }
  }

  /**
   * Resizes a row-major {@code height x width} float image to {@code outHeight x outWidth} as Pillow's {@code
   * Image.resize((outWidth, outHeight), Image.BILINEAR)} does for mode 'F'.
   */
  public static float[] resize(float[] image, int width, int height, int outWidth, int outHeight) {
    InvalidParameterException.require(width > 0 && height > 0, "width/height",
        "expected a positive image size, got " + height + " x " + width);
    InvalidParameterException.require(outWidth > 0 && outHeight > 0, "outWidth/outHeight",
        "expected a positive output size, got " + outHeight + " x " + outWidth);
    InvalidParameterException.require(image.length == (long) width * height, "image",
        "expected " + height + " x " + width + " = " + ((long) width * height) + " values, got " + image.length);
    float[] cur = image;
    int curWidth = width;
    if (outWidth != width) {
      Coefficients c = Coefficients.bilinear(width, outWidth);
      float[] next = new float[height * outWidth];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < outWidth; x++) {
          next[y * outWidth + x] = c.apply(cur, y * width, 1, x);
        }
      }
      cur = next;
      curWidth = outWidth;
    }
    if (outHeight != height) {
      Coefficients c = Coefficients.bilinear(height, outHeight);
      float[] next = new float[outHeight * curWidth];
      for (int y = 0; y < outHeight; y++) {
        for (int x = 0; x < curWidth; x++) {
          next[y * curWidth + x] = c.apply(cur, x, curWidth, y);
        }
      }
      cur = next;
    }
    return cur == image ? image.clone() : cur;
  }
}
