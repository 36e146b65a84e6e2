package org.clipmsm.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.clipmsm.InvalidInputException;

/**
 * An 8-bit RGB image: interleaved bytes, row-major {@code height x width x 3} (the layout of NSD's imgBrick and of a
 * PIL RGB image as a NumPy array).
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (width < 1 || height < 1 || rgb.length != width * height * 3) {
      throw new IllegalArgumentException("RGB image " + width + "x" + height + " with " + rgb.length + " bytes");
    }
  }

  /**
   * Decodes a PNG or JPEG file to RGB as {@code PIL.Image.open(f).convert("RGB")} does: grey copied to the three
   * channels, alpha dropped (not composited), palettes expanded. PNG decodes to the same bytes as PIL; baseline JPEG
   * decoders differ from libjpeg's by a level or two on some pixels.
   *
   * @throws InvalidInputException if the file cannot be read or decoded
   */
  public static RgbImage read(Path file) {
    BufferedImage img;
    try {
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(file + ": no such image file (expected a PNG or JPEG image)");
      }
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException bad) {
        throw bad;
      }
      throw new InvalidInputException(file + ": cannot decode the image (" + InvalidInputException.firstLine(e)
          + "; expected a PNG or JPEG image)", e);
    }
    if (img == null) {
      throw new InvalidInputException(file + ": not an image ImageIO can decode (expected a PNG or JPEG image)");
    }
    return of(img);
  }

  /** RGB bytes of a decoded image, reading the samples themselves (no colour-space conversion for grey images). */
  public static RgbImage of(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[w * h * 3];
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      // getRGB would pass grey through a linear-to-sRGB conversion; PIL copies the level.
      Raster r = img.getRaster();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          byte v = (byte) r.getSample(x, y, 0);
          out[o] = v;
          out[o + 1] = v;
          out[o + 2] = v;
        }
      }
    } else {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = img.getRGB(x, y);
          int o = (y * w + x) * 3;
          out[o] = (byte) (rgb >> 16);
          out[o + 1] = (byte) (rgb >> 8);
          out[o + 2] = (byte) rgb;
        }
      }
    }
    return new RgbImage(w, h, out);
  }
}
