package org.clipmsm.embed;

import java.nio.FloatBuffer;
import java.util.Locale;
import org.clipmsm.InvalidInputException;
import org.clipmsm.image.PilResize;
import org.clipmsm.image.RgbImage;

/**
 * The preprocessing an image encoder was trained with (docs/method.md §1), exactly as the reference Python pipelines
 * do it
 * on a PIL image: resize the shorter side (torchvision {@code Resize(n)}: the longer side becomes
 * {@code int(n * long / short)}), centre crop (torchvision {@code CenterCrop}: offsets {@code round((size - crop) /
 * 2)},
 * half to even), {@code ToTensor} (/255 in float32) and {@code Normalize} (subtract the mean, divide by the std, in
 * float32). Output: float32 CHW, channels R, G, B.
 */
public enum ImagePreprocessing {
  /** CLIP: bicubic resize of the shorter side to 224, centre crop 224, CLIP's mean/std. */
  CLIP(224, 224, PilResize.Filter.BICUBIC, new float[] {0.48145466f, 0.4578275f, 0.40821073f},
      new float[] {0.26862954f, 0.26130258f, 0.27577711f}),
  /** ImageNet (torchvision's classification models): bilinear resize to 256, centre crop 224, ImageNet mean/std. */
  IMAGENET(256, 224, PilResize.Filter.BILINEAR, new float[] {0.485f, 0.456f, 0.406f},
      new float[] {0.229f, 0.224f, 0.225f});

  private final int resize;
  private final int crop;
  private final PilResize.Filter filter;
  private final float[] mean;
  private final float[] std;

  ImagePreprocessing(int resize, int crop, PilResize.Filter filter, float[] mean, float[] std) {
    this.resize = resize;
    this.crop = crop;
    this.filter = filter;
    this.mean = mean;
    this.std = std;
  }

  /** By the name a model directory's {@code model.properties} gives ({@code clip} or {@code imagenet}). */
  public static ImagePreprocessing named(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("preprocess: expected clip or imagenet, got " + name);
    }
  }

  /** Side of the square input the encoder takes. */
  public int size() {
    return crop;
  }

  /** Floats per preprocessed image: 3 x size x size. */
  public int length() {
    return 3 * crop * crop;
  }

  /** The resized and centre-cropped RGB image, before /255 and normalisation. */
  public RgbImage resizeAndCrop(RgbImage image) {
    int w = image.width();
    int h = image.height();
    int shortSide = Math.min(w, h);
    int longSide = Math.max(w, h);
    int newLong = (int) ((double) ((long) resize * longSide) / shortSide);
    int nw = w <= h ? resize : newLong;
    int nh = w <= h ? newLong : resize;
    byte[] resized = PilResize.resize(image.rgb(), w, h, nw, nh, filter);
    int top = (int) Math.rint((nh - crop) / 2.0);
    int left = (int) Math.rint((nw - crop) / 2.0);
    byte[] out = new byte[crop * crop * 3];
    for (int y = 0; y < crop; y++) {
      System.arraycopy(resized, ((y + top) * nw + left) * 3, out, y * crop * 3, crop * 3);
    }
    return new RgbImage(crop, crop, out);
  }

  /** The encoder's input for one image: float32 CHW. */
  public float[] apply(RgbImage image) {
    float[] out = new float[length()];
    apply(image, out, 0);
    return out;
  }

  /**
   * Writes the encoder's input for one image into {@code dst} at absolute index {@code offset} (CHW); the buffer's
   * position is not used, so threads may fill different images of one buffer at once.
   */
  public void apply(RgbImage image, FloatBuffer dst, int offset) {
    byte[] px = resizeAndCrop(image).rgb();
    int plane = crop * crop;
    for (int c = 0; c < 3; c++) {
      float m = mean[c];
      float s = std[c];
      for (int i = 0; i < plane; i++) {
        dst.put(offset + c * plane + i, ((px[i * 3 + c] & 0xFF) / 255f - m) / s);
      }
    }
  }

  /** Writes the encoder's input for one image into {@code dst} at {@code offset} (CHW). */
  public void apply(RgbImage image, float[] dst, int offset) {
    apply(image, FloatBuffer.wrap(dst), offset);
  }
}
