package org.clipmsm.image;

/**
 * Pillow's resampling of 8-bit RGB images ({@code Image.resize}, Pillow 9.x {@code libImaging/Resample.c}), bit for
 * bit: a separable convolution, horizontal pass then vertical pass, each rounded to 8 bits. The filter is stretched
 * by the scale when shrinking (support x scale: the antialiasing that makes PIL differ from plain interpolation), its
 * weights normalised to sum 1 and then fixed to 22 fractional bits, sums started at one half and clipped to 0..255.
 * torchvision's {@code Resize} on a PIL image is exactly this, so CLIP's and ImageNet's reference preprocessing can be
 * matched exactly.
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  /** Pillow's filters: bicubic is Keys' cubic convolution with a = -0.5, support 2; bilinear is the triangle. */
  public enum Filter {
    BILINEAR(1.0) {
      @Override
      double weight(double x) {
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
      }
    },
    BICUBIC(2.0) {
      @Override
      double weight(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
          return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
          return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
      }
    };

    final double support;

    Filter(double support) {
      this.support = support;
    }

    abstract double weight(double x);
  }

  private PilResize() {}

  /**
   * Resizes interleaved RGB bytes (row-major {@code height x width x 3}) to {@code outWidth x outHeight}, as
   * {@code PIL.Image.resize((outWidth, outHeight), filter)} does.
   */
  public static byte[] resize(byte[] rgb, int width, int height, int outWidth, int outHeight, Filter filter) {
    if (width == outWidth && height == outHeight) {
      return rgb.clone();
    }
    byte[] in = rgb;
    int h = height;
    Coefficients vert = Coefficients.of(height, outHeight, filter);
    if (width != outWidth) {
      // Only the source rows the vertical pass reads are resampled horizontally (as Pillow does; same result).
      int first = vert.bounds[0];
      int last = vert.bounds[(outHeight - 1) * 2] + vert.bounds[(outHeight - 1) * 2 + 1];
      Coefficients horiz = Coefficients.of(width, outWidth, filter);
      in = horizontal(rgb, width, first, last - first, horiz, outWidth);
      h = last - first;
      for (int i = 0; i < outHeight; i++) {
        vert.bounds[i * 2] -= first;
      }
    }
    if (height != outHeight) {
      return vertical(in, outWidth, h, vert, outHeight);
    }
    return in;
  }

  private static byte[] horizontal(byte[] in, int width, int firstRow, int rows, Coefficients c, int outWidth) {
    byte[] out = new byte[rows * outWidth * 3];
    for (int y = 0; y < rows; y++) {
      int rowIn = (y + firstRow) * width * 3;
      int rowOut = y * outWidth * 3;
      for (int x = 0; x < outWidth; x++) {
        int min = c.bounds[x * 2];
        int n = c.bounds[x * 2 + 1];
        int k = x * c.size;
        int s0 = 1 << (PRECISION_BITS - 1);
        int s1 = s0;
        int s2 = s0;
        for (int i = 0; i < n; i++) {
          int p = rowIn + (min + i) * 3;
          int w = c.fixed[k + i];
          s0 += (in[p] & 0xFF) * w;
          s1 += (in[p + 1] & 0xFF) * w;
          s2 += (in[p + 2] & 0xFF) * w;
        }
        out[rowOut + x * 3] = clip8(s0);
        out[rowOut + x * 3 + 1] = clip8(s1);
        out[rowOut + x * 3 + 2] = clip8(s2);
      }
    }
    return out;
  }

  private static byte[] vertical(byte[] in, int width, int rows, Coefficients c, int outHeight) {
    byte[] out = new byte[outHeight * width * 3];
    for (int y = 0; y < outHeight; y++) {
      int min = c.bounds[y * 2];
      int n = c.bounds[y * 2 + 1];
      int k = y * c.size;
      for (int x = 0; x < width * 3; x++) {
        int s = 1 << (PRECISION_BITS - 1);
        for (int i = 0; i < n; i++) {
          s += (in[(min + i) * width * 3 + x] & 0xFF) * c.fixed[k + i];
        }
        out[y * width * 3 + x] = clip8(s);
      }
    }
    return out;
  }

  private static byte clip8(int v) {
    int x = v >> PRECISION_BITS;
    return (byte) (x < 0 ? 0 : Math.min(x, 255));
  }

  /** Per output pixel: first input pixel, count, and fixed-point weights ({@code precompute_coeffs}). */
  private static final class Coefficients {
    final int size;
    final int[] bounds;
    final int[] fixed;

    private Coefficients(int size, int[] bounds, int[] fixed) {
      this.size = size;
      this.bounds = bounds;
      this.fixed = fixed;
    }

    static Coefficients of(int inSize, int outSize, Filter filter) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filter.support * filterScale;
      int size = (int) Math.ceil(support) * 2 + 1;
      int[] bounds = new int[outSize * 2];
      int[] fixed = new int[outSize * size];
      double[] k = new double[size];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ss = 1.0 / filterScale;
        int min = Math.max(0, (int) (center - support + 0.5));
        int max = Math.min(inSize, (int) (center + support + 0.5)) - min;
        double sum = 0;
        for (int x = 0; x < max; x++) {
          k[x] = filter.weight((x + min - center + 0.5) * ss);
          sum += k[x];
        }
        for (int x = 0; x < max; x++) {
          double w = sum != 0.0 ? k[x] / sum : k[x];
          fixed[xx * size + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
              : (int) (0.5 + w * (1 << PRECISION_BITS));
        }
        bounds[xx * 2] = min;
        bounds[xx * 2 + 1] = max;
      }
      return new Coefficients(size, bounds, fixed);
    }
  }
}
