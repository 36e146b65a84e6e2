package org.clipmsm.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Random;

/**
 * Draws a synthetic scene whose categories cover areas that grow with their planted amounts: faces (skin-toned
 * ovals with eyes and a mouth), bodies (figures with torso and limbs), places (sky, ground and buildings with
 * windows), words (rows of letter-like strokes on paper) and food (fruit on plates). Antialiasing and fonts are
 * off the path on purpose: the same seed gives the same bytes on every JVM. Output: RGB bytes, row-major
 * height x width x 3, the layout of NSD's imgBrick.
 *
 * <p>{@link #drawWithMasks} draws the same scene (the same bytes as {@link #draw}) and also says which category
 * and which face part every pixel shows, from the very shapes that were drawn: each shape is filled into the
 * image and into a mask at once, later shapes covering earlier ones in both.
 */
public final class SceneDrawer {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** {@link Scene#category()} of a background pixel. */
  public static final byte NO_CATEGORY = -1;
  /** {@link Scene#part()} of a pixel that shows no face part. */
  public static final byte NO_PART = 0;
  /** {@link Scene#part()} of a pixel of a face's eye. */
  public static final byte EYE = 1;
  /** {@link Scene#part()} of a pixel of a face's mouth. */
  public static final byte MOUTH = 2;

  /** Mask codes: category ordinal + 1 (0 = background) plus the part times {@link #PART_STEP}. */
  private static final int PART_STEP = 16;

  private SceneDrawer() {}

  /**
   * A drawn scene with its masks, all row-major over {@code size x size} pixels.
   *
   * @param rgb the image, height x width x 3, exactly what {@link SceneDrawer#draw} returns
   * @param category per pixel the {@link Category#ordinal()} of the object it shows (the places backdrop included),
   *     or {@link #NO_CATEGORY} for background
   * @param part per pixel {@link #EYE}, {@link #MOUTH} (both within faces) or {@link #NO_PART}
   */
  public record Scene(int size, byte[] rgb, byte[] category, byte[] part) {}

  /** Draws one square image of {@code size} pixels for the given amounts (indexed by {@link Category#ordinal()}). */
  public static byte[] draw(double[] amounts, int size, long seed) {
    Canvas canvas = new Canvas(size, false);
    paint(canvas, amounts, size, seed);
    return canvas.rgb();
  }

  /** {@link #draw}, and which category and face part every pixel shows. */
  public static Scene drawWithMasks(double[] amounts, int size, long seed) {
    Canvas canvas = new Canvas(size, true);
    paint(canvas, amounts, size, seed);
    byte[] category = new byte[size * size];
    byte[] part = new byte[size * size];
    int[] codes = ((DataBufferInt) canvas.mask.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < size * size; p++) {
      int code = codes[p] & 0xffffff;
      category[p] = (byte) (code % PART_STEP - 1);
      part[p] = (byte) (code / PART_STEP);
    }
    return new Scene(size, canvas.rgb(), category, part);
  }

  private static void paint(Canvas g, double[] amounts, int size, long seed) {
    Random rnd = new Random(seed);
    g.setColor(new Color(128, 128, 120));
    g.setMask(null, NO_PART);
    g.fillRect(0, 0, size, size);
    // Places first: they are the backdrop, a band from the top whose height follows the amount.
    if (amounts.length > Category.PLACES.ordinal()) {
      g.setMask(Category.PLACES, NO_PART);
      drawPlace(g, size, amounts[Category.PLACES.ordinal()], rnd);
    }
    for (Category c : Category.values()) {
      if (c == Category.PLACES || c.ordinal() >= amounts.length) {
        continue;
      }
      double area = amounts[c.ordinal()] * size * size;
      // Objects of about a tenth of the canvas each, as many as the area asks.
      int count = (int) Math.round(area / (0.1 * size * size));
      double each = count == 0 ? area : area / count;
      count = Math.max(count, area > 0.01 * size * size ? 1 : 0);
      for (int k = 0; k < count; k++) {
        int side = (int) Math.max(4, Math.sqrt(each));
        int x = rnd.nextInt(Math.max(1, size - side));
        int y = rnd.nextInt(Math.max(1, size - side));
        g.setMask(c, NO_PART);
        switch (c) {
          case FACES -> drawFace(g, x, y, side, rnd);
          case BODIES -> drawBody(g, x, y, side, rnd);
          case WORDS -> drawWords(g, x, y, side, rnd);
          case FOOD -> drawFood(g, x, y, side, rnd);
          default -> { }
        }
      }
    }
    g.dispose();
  }

  private static void drawPlace(Canvas g, int size, double amount, Random rnd) {
    int h = (int) Math.round(amount * size);
    if (h <= 0) {
      return;
    }
    g.setColor(new Color(110, 160, 230));
    g.fillRect(0, 0, size, h * 2 / 3);
    g.setColor(new Color(90, 120, 60));
    g.fillRect(0, h * 2 / 3, size, h - h * 2 / 3);
    int buildings = 2 + rnd.nextInt(4);
    for (int b = 0; b < buildings; b++) {
      int bw = size / (buildings + 1);
      int bh = Math.max(2, (int) (h * (0.3 + 0.4 * rnd.nextDouble())));
      int bx = b * size / buildings;
      int by = h * 2 / 3 - bh + h / 6;
      g.setColor(new Color(150 + rnd.nextInt(40), 140, 130));
      g.fillRect(bx, Math.max(0, by), bw, bh);
      g.setColor(new Color(40, 40, 60));
      for (int wy = Math.max(0, by) + 3; wy < by + bh - 4; wy += 8) {
        for (int wx = bx + 3; wx < bx + bw - 4; wx += 8) {
          g.fillRect(wx, wy, 3, 4);
        }
      }
    }
  }

  private static void drawFace(Canvas g, int x, int y, int side, Random rnd) {
    g.setColor(new Color(225 - rnd.nextInt(80), 180 - rnd.nextInt(60), 150 - rnd.nextInt(60)));
    g.fillOval(x, y, side * 4 / 5, side);
    g.setColor(new Color(30, 25, 20));
    g.setMask(Category.FACES, EYE);
    int eye = Math.max(1, side / 9);
    g.fillOval(x + side / 5, y + side / 3, eye, eye);
    g.fillOval(x + side * 4 / 5 - side / 5 - eye, y + side / 3, eye, eye);
    g.setColor(new Color(150, 50, 50));
    g.setMask(Category.FACES, MOUTH);
    g.fillRect(x + side / 4, y + side * 2 / 3, side * 3 / 10, Math.max(1, side / 14));
  }

  private static void drawBody(Canvas g, int x, int y, int side, Random rnd) {
    g.setColor(new Color(40 + rnd.nextInt(60), 60 + rnd.nextInt(60), 140 + rnd.nextInt(80)));
    int cx = x + side / 2;
    g.fillRect(cx - side / 8, y + side / 5, side / 4, side * 2 / 5);
    g.setStroke(new BasicStroke(Math.max(1, side / 12f)));
    g.drawLine(cx - side / 8, y + side / 4, x, y + side / 2);
    g.drawLine(cx + side / 8, y + side / 4, x + side, y + side / 2);
    g.drawLine(cx - side / 16, y + side * 3 / 5, x + side / 5, y + side);
    g.drawLine(cx + side / 16, y + side * 3 / 5, x + side * 4 / 5, y + side);
    g.setStroke(new BasicStroke(1));
  }

  private static void drawWords(Canvas g, int x, int y, int side, Random rnd) {
    g.setColor(new Color(245, 245, 240));
    g.fillRect(x, y, side, side * 2 / 3);
    g.setColor(new Color(10, 10, 10));
    int letter = Math.max(3, side / 10);
    for (int ly = y + letter / 2; ly + letter < y + side * 2 / 3; ly += letter * 3 / 2) {
      for (int lx = x + letter / 2; lx + letter < x + side; lx += letter) {
        // A letter: one to three strokes within its cell.
        int strokes = 1 + rnd.nextInt(3);
        for (int s = 0; s < strokes; s++) {
          g.drawLine(lx + rnd.nextInt(letter), ly + rnd.nextInt(letter), lx + rnd.nextInt(letter),
              ly + rnd.nextInt(letter));
        }
      }
    }
  }

  private static void drawFood(Canvas g, int x, int y, int side, Random rnd) {
    g.setColor(new Color(250, 250, 250));
    g.fillOval(x, y + side / 6, side, side * 2 / 3);
    int fruits = 3 + rnd.nextInt(4);
    for (int f = 0; f < fruits; f++) {
      g.setColor(new Color(200 + rnd.nextInt(55), rnd.nextInt(200), rnd.nextInt(60)));
      int r = Math.max(2, side / 5);
      g.fillOval(x + side / 6 + rnd.nextInt(Math.max(1, side * 2 / 3 - r)),
          y + side / 3 + rnd.nextInt(Math.max(1, side / 3 - r / 2)), r, r);
    }
  }

  /**
   * The image and, when masks are asked for, a second image of the same type and rendering settings into which
   * every shape is filled with the current mask code instead of its colour. Both rasterise the same geometry with
   * the same stroke, so they cover the same pixels.
   */
  private static final class Canvas {
    final BufferedImage img;
    final Graphics2D g;
    final BufferedImage mask;
    final Graphics2D m;

    Canvas(int size, boolean masks) {
      img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
      g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      if (masks) {
        mask = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        m = mask.createGraphics();
        m.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      } else {
        mask = null;
        m = null;
      }
    }

    void setColor(Color c) {
      g.setColor(c);
    }

    /** What the following shapes are: a category (null = background) and a face part. */
    void setMask(Category c, byte part) {
      if (m != null) {
        m.setColor(new Color((c == null ? 0 : c.ordinal() + 1) + PART_STEP * part));
      }
    }

    void setStroke(Stroke s) {
      g.setStroke(s);
      if (m != null) {
        m.setStroke(s);
      }
    }

    void fillRect(int x, int y, int w, int h) {
      g.fillRect(x, y, w, h);
      if (m != null) {
        m.fillRect(x, y, w, h);
      }
    }

    void fillOval(int x, int y, int w, int h) {
      g.fillOval(x, y, w, h);
      if (m != null) {
        m.fillOval(x, y, w, h);
      }
    }

    void drawLine(int x1, int y1, int x2, int y2) {
      g.drawLine(x1, y1, x2, y2);
      if (m != null) {
        m.drawLine(x1, y1, x2, y2);
      }
    }

    void dispose() {
      g.dispose();
      if (m != null) {
        m.dispose();
      }
    }

    byte[] rgb() {
      int size = img.getWidth();
      byte[] out = new byte[size * size * 3];
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int rgb = img.getRGB(x, y);
          int o = (y * size + x) * 3;
          out[o] = (byte) (rgb >> 16);
          out[o + 1] = (byte) (rgb >> 8);
          out[o + 2] = (byte) rgb;
        }
      }
      return out;
    }
  }
}
