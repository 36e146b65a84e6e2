package org.clipmsm.broden;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.clipmsm.InvalidInputException;

/**
 * A Broden segmentation PNG decoded to label numbers: a pixel's label is {@code R + 256 G} (channels 0 and 1; 0 =
 * unlabelled). Samples are read raw from the raster, with no colour conversion: 8-bit RGB or RGBA, or a palette
 * image whose entries give R and G (what {@code imread} would expand it to). Other kinds (grey, 16-bit) are bad input.
 */
public final class SegmentationPng {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private SegmentationPng() {}

  /**
   * The label plane of {@code file}, row-major {@code height x width}.
   *
   * @param context what a message adds after the file (e.g. the index.csv line naming it)
   * @throws InvalidInputException naming the file if it is missing, not a PNG of a supported kind, or of another size
   */
  public static int[] read(Path file, int height, int width, String context) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file (" + context + ")");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file + ": cannot decode as a PNG segmentation ("
          + InvalidInputException.firstLine(e) + "; " + context + ")", e);
    }
    if (img == null) {
      throw new InvalidInputException(file + ": not an image ImageIO can read (expected a PNG segmentation; "
          + context + ")");
    }
    if (img.getHeight() != height || img.getWidth() != width) {
      throw new InvalidInputException(file + ": " + img.getHeight() + " x " + img.getWidth()
          + " pixels (height x width), expected sh x sw = " + height + " x " + width + " (" + context + ")");
    }
    Raster raster = img.getRaster();
    ColorModel cm = img.getColorModel();
    int[] out = new int[height * width];
    if (cm instanceof IndexColorModel icm) {
      int[] index = raster.getSamples(0, 0, width, height, 0, (int[]) null);
      for (int p = 0; p < out.length; p++) {
        out[p] = icm.getRed(index[p]) + 256 * icm.getGreen(index[p]);
      }
      return out;
    }
    int bands = raster.getNumBands();
    boolean eightBit = true;
    for (int b = 0; b < bands; b++) {
      eightBit &= raster.getSampleModel().getSampleSize(b) == 8;
    }
    if (bands < 3 || !eightBit || cm.getNumColorComponents() != 3) {
      throw new InvalidInputException(file + ": " + describe(raster, cm) + ", expected an 8-bit RGB or RGBA PNG"
          + " (label = R + 256 G; " + context + ")");
    }
    int[] r = raster.getSamples(0, 0, width, height, 0, (int[]) null);
    int[] g = raster.getSamples(0, 0, width, height, 1, (int[]) null);
    for (int p = 0; p < out.length; p++) {
      out[p] = r[p] + 256 * g[p];
    }
    return out;
  }

  private static String describe(Raster raster, ColorModel cm) {
    int bits = raster.getSampleModel().getSampleSize(0);
    String kind = switch (cm.getNumColorComponents()) {
      case 1 -> "grey";
      case 3 -> "colour";
      default -> cm.getNumColorComponents() + "-component";
    };
    return kind + " with " + raster.getNumBands() + " channel(s) of " + bits + " bits";
  }
}
