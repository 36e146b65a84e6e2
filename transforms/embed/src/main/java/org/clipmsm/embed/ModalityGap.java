package org.clipmsm.embed;

import java.nio.file.Path;
import java.util.Properties;
import org.clipmsm.InvalidInputException;

/**
 * A model's shared "modality gap" coordinate (Liang et al. 2022, "Mind the Gap"), appended after the network: an
 * image embedding e becomes [e, g_image |e|], a text embedding t becomes [t, g_text |t|], and each position vector f
 * of a dense map becomes [f, g_image |f|]. Every image-text cosine then maps exactly to
 * {@code (cos + g_image g_text) / (sqrt(1 + g_image^2) sqrt(1 + g_text^2))} ({@link #cosine}): an affine, increasing
 * map, so each image's ranking of the labels is unchanged while their spread narrows and their level rises, as in
 * real CLIP. The shipped tiny CLIP uses it to get real CLIP's narrow band of cosines; real CLIP exports have none.
 *
 * <p>Read from {@code model.properties}: {@value #IMAGE_KEY} and {@value #TEXT_KEY}, each a finite number >= 0,
 * absent = 0. When both are 0 nothing is appended; otherwise all three outputs get the coordinate (so that image
 * and text embeddings keep one dimension).
 */
public record ModalityGap(double image, double text) {
  public static final String IMAGE_KEY = "gap_image";
  public static final String TEXT_KEY = "gap_text";
  /** No extra coordinate. */
  public static final ModalityGap NONE = new ModalityGap(0, 0);

  public ModalityGap {
    if (!(image >= 0) || !(text >= 0) || Double.isInfinite(image) || Double.isInfinite(text)) {
      throw new IllegalArgumentException("gap constants must be finite and >= 0, got " + image + ", " + text);
    }
  }

  /**
   * The gap of a model directory's properties.
   *
   * @param file the properties' file, for messages
   * @throws InvalidInputException naming the file and the key if a value is not a finite number >= 0
   */
  public static ModalityGap of(Properties p, Path file) {
    return new ModalityGap(value(p, file, IMAGE_KEY), value(p, file, TEXT_KEY));
  }

  private static double value(Properties p, Path file, String key) {
    String s = p.getProperty(key);
    if (s == null) {
      return 0;
    }
    double v;
    try {
      v = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new InvalidInputException(file + ": " + key + ": expected a finite number >= 0 (0 or absent: no"
          + " modality-gap coordinate), got " + s.trim());
    }
    return v;
  }

  /** Whether the embeddings get the extra coordinate. */
  public boolean appends() {
    return image != 0 || text != 0;
  }

  /** The image-text cosine after the gap, of the cosine before it. */
  public double cosine(double cos) {
    return (cos + image * text) / (Math.sqrt(1 + image * image) * Math.sqrt(1 + text * text));
  }

  /** Pooled image embeddings, one per row, with the gap coordinate (the rows themselves when none). */
  public float[][] images(float[][] rows) {
    return append(rows, 0, image);
  }

  /** Text embeddings, one per row, with the gap coordinate (the rows themselves when none). */
  public float[][] texts(float[][] rows) {
    return append(rows, 0, text);
  }

  /**
   * Dense maps, one image per row of h * w * D floats (position-major), with the gap coordinate after each
   * position's D features; {@code shape} (h, w, D) gets D + 1. The rows themselves when none.
   */
  public float[][] dense(float[][] rows, int[] shape) {
    if (!appends()) {
      return rows;
    }
    float[][] out = append(rows, shape[2], image);
    shape[2]++;
    return out;
  }

  /** Appends g |v| to each vector v of {@code d} floats in each row ({@code d} = 0: the whole row is one vector). */
  private float[][] append(float[][] rows, int d, double g) {
    if (!appends()) {
      return rows;
    }
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      float[] r = rows[i];
      int dim = d == 0 ? Math.max(1, r.length) : d;
      if (r.length % dim != 0) {
        throw new IllegalStateException(r.length + " floats are not vectors of " + dim);
      }
      int vectors = r.length / dim;
      float[] o = new float[r.length + vectors];
      for (int v = 0; v < vectors; v++) {
        double ss = 0;
        for (int k = v * dim; k < (v + 1) * dim; k++) {
          ss += (double) r[k] * r[k];
        }
        System.arraycopy(r, v * dim, o, v * (dim + 1), dim);
        o[v * (dim + 1) + dim] = (float) (g * Math.sqrt(ss));
      }
      out[i] = o;
    }
    return out;
  }
}
