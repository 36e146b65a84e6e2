package org.clipmsm.pipelines.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts on XChart, drawn headless into images: grouped (or stacked) bars with error bars, lines with
 * markers, and the 2-D histogram with a logarithmic colour scale. Every chart has a title, axis titles (with units)
 * and a legend when it has more than one series.
 */
final class Charts {
  /** Width and height of a chart, in pixels. */
  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  /** Okabe and Ito's colour-blind-safe palette, then further hues for long label sets. */
  private static final Color[] PALETTE = palette(24);

  private Charts() {}

  static Font font(int style, int size) {
    return new Font(Font.SANS_SERIF, style, size);
  }

  private static Color[] palette(int n) {
    int[] okabeIto = {0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7, 0x56b4e9, 0xd55e00, 0xf0e442, 0x555555};
    Color[] out = new Color[n];
    for (int i = 0; i < n; i++) {
      if (i < okabeIto.length) {
        out[i] = new Color(okabeIto[i]);
      } else {
        float hue = (float) ((i - okabeIto.length) * 0.618033988749895 % 1.0);
        out[i] = Color.getHSBColor(hue, 0.55f, i % 2 == 0 ? 0.75f : 0.55f);
      }
    }
    return out;
  }

  private static void style(Styler s, int series) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.GRAY);
    s.setChartTitleFont(font(Font.BOLD, 16));
    s.setChartTitleBoxVisible(false);
    s.setLegendFont(font(Font.PLAIN, 13));
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    s.setLegendVisible(series > 1);
    s.setSeriesColors(PALETTE);
    s.setChartPadding(12);
    s.setAntiAlias(true);
    s.setTextAntiAlias(true);
    if (s instanceof AxesChartStyler a) {
      a.setAxisTitleFont(font(Font.PLAIN, 14));
      a.setAxisTickLabelsFont(font(Font.PLAIN, 12));
      a.setPlotGridLinesColor(new Color(225, 225, 225));
      a.setPlotGridVerticalLinesVisible(false);
      a.setAxisTitlePadding(8);
      // A leading zero before the decimal point ("0.05", not ".05").
      a.setYAxisDecimalPattern("#,##0.###");
      a.setXAxisDecimalPattern("#,##0.##");
    }
  }

  /**
   * Bars per category (x) for each series, side by side (or stacked), with optional error bars.
   *
   * @param values {@code values.get(s).get(c)}: series s at category c; null or NaN leaves the bar out
   * @param errors the same shape, half-lengths of the error bars, or null for none
   */
  static BufferedImage bars(String title, String xTitle, String yTitle, List<String> categories,
      List<String> series, List<List<Double>> values, List<List<Double>> errors, boolean stacked) {
    return bars(title, xTitle, yTitle, categories, series, values, errors, stacked, WIDTH, HEIGHT, null);
  }

  /**
   * As above, {@code width x height} pixels; below 600 pixels wide the legend goes under the plot.
   *
   * @param yRange the y axis' {min, max}, or null to fit the values (and 0)
   */
  static BufferedImage bars(String title, String xTitle, String yTitle, List<String> categories,
      List<String> series, List<List<Double>> values, List<List<Double>> errors, boolean stacked, int width,
      int height, double[] yRange) {
    CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart.getStyler(), series.size());
    chart.getStyler().setStacked(stacked);
    if (width < 600) {
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
      chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    } else {
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    }
    chart.getStyler().setAvailableSpaceFill(stacked ? 0.6 : 0.8);
    chart.getStyler().setErrorBarsColor(Color.BLACK);
    int longest = categories.stream().mapToInt(String::length).max().orElse(0);
    if (categories.size() * Math.max(longest, 4) > 90) {
      chart.getStyler().setXAxisLabelRotation(35);
    }
    // Stacked shares start at 0; side-by-side bars include 0 so that their heights compare.
    double min = 0;
    double max = 0;
    for (int s = 0; s < series.size(); s++) {
      List<Double> y = clean(values.get(s));
      if (stacked) {
        for (int c = 0; c < categories.size(); c++) {
          y.set(c, y.get(c) == null ? 0.0 : y.get(c));
        }
      }
      for (int c = 0; c < y.size(); c++) {
        if (y.get(c) != null) {
          double e = errors == null || errors.get(s).get(c) == null || !Double.isFinite(errors.get(s).get(c)) ? 0
              : errors.get(s).get(c);
          min = Math.min(min, y.get(c) - e);
          max = Math.max(max, y.get(c) + e);
        }
      }
      CategorySeries cs;
      if (errors != null && !stacked) {
        List<Double> e = new ArrayList<>();
        for (int c = 0; c < y.size(); c++) {
          Double v = errors.get(s).get(c);
          e.add(y.get(c) == null || v == null || !Double.isFinite(v) ? 0.0 : v);
        }
        // XChart leaves a null bar out, but its error bar needs a number.
        cs = chart.addSeries(series.get(s), categories, y, e);
      } else {
        cs = chart.addSeries(series.get(s), categories, y);
      }
      cs.setFillColor(PALETTE[s % PALETTE.length]);
    }
    if (stacked) {
      max = 0;
      for (int c = 0; c < categories.size(); c++) {
        double sum = 0;
        for (int s = 0; s < series.size(); s++) {
          Double v = values.get(s).get(c);
          sum += v == null || !Double.isFinite(v) ? 0 : v;
        }
        max = Math.max(max, sum);
      }
    }
    if (max == min) {
      max = min + 1;
    }
    if (yRange != null) {
      min = yRange[0];
      max = yRange[1];
    }
    chart.getStyler().setYAxisMin(min);
    chart.getStyler().setYAxisMax(max + (max - min) * 0.05);
    return image(chart);
  }

  /** Lines with markers, one per series: {@code x.get(s)}, {@code y.get(s)}. */
  static BufferedImage lines(String title, String xTitle, String yTitle, List<String> series, List<double[]> x,
      List<double[]> y) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart.getStyler(), series.size());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setPlotGridVerticalLinesVisible(true);
    for (int s = 0; s < series.size(); s++) {
      XYSeries xy = chart.addSeries(series.get(s), x.get(s), y.get(s));
      xy.setMarker(SeriesMarkers.CIRCLE);
      xy.setLineColor(PALETTE[s % PALETTE.length]);
      xy.setMarkerColor(PALETTE[s % PALETTE.length]);
      xy.setLineStyle(new BasicStroke(2f));
    }
    return image(chart);
  }

  /** A cell of a 2-D histogram: its x and y ranges and count. */
  record Bin(double xFrom, double xTo, double yFrom, double yTo, double count) {}

  /**
   * A 2-D histogram on [0, 100] x [0, 100] with the density in log scale (viridis; empty bins white), the line
   * {@code y = slope x} over it, and a colour bar of the counts (powers of ten) at the right.
   */
  static BufferedImage density(String title, String xTitle, String yTitle, List<Bin> bins, double slope,
      String lineName, String countTitle) {
    int barArea = ColorScale.BAR_AREA + 24;
    XYChart chart = new XYChartBuilder().width(WIDTH - barArea).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart.getStyler(), 2);
    // The legend explains the line; below the plot so that the density never covers it.
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(100.0).setYAxisMin(0.0).setYAxisMax(100.0);
    chart.getStyler().setPlotGridLinesVisible(false);
    double max = 0;
    for (Bin b : bins) {
      max = Math.max(max, b.count());
    }
    double logMax = Math.max(Math.log10(Math.max(max, 1)), 1e-9);
    // Points every 10 % along the line: XChart ticks a numeric x axis where it has data.
    double[] lx = new double[11];
    double[] ly = new double[11];
    for (int i = 0; i <= 10; i++) {
      lx[i] = 10 * i;
      ly[i] = 10 * i * slope;
    }
    XYSeries line = chart.addSeries(lineName, lx, ly);
    line.setMarker(SeriesMarkers.NONE);
    line.setLineColor(new Color(0xd55e00));
    line.setLineStyle(new BasicStroke(2.5f));
    chart.addAnnotation(new DensityLayer(bins, logMax, slope, line));
    BufferedImage plot = image(chart);
    BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(out);
    g.drawImage(plot, 0, 0, null);
    int top = (int) Math.round(chart.getScreenYFromChart(100));
    int bottom = (int) Math.round(chart.getScreenYFromChart(0));
    List<ColorScale.Tick> ticks = new ArrayList<>();
    for (double c = 1; c <= Math.max(max, 1); c *= 10) {
      ticks.add(new ColorScale.Tick(Math.log10(c) / logMax, String.format(java.util.Locale.ROOT, "%.0f", c)));
    }
    if (max > 1 && Math.log10(max) - Math.floor(Math.log10(max)) > 0.15) {
      ticks.add(new ColorScale.Tick(1, String.format(java.util.Locale.ROOT, "%.0f", max)));
    }
    ColorScale.drawBar(g, WIDTH - barArea + 8, top, bottom, 18, ticks, countTitle);
    g.dispose();
    return out;
  }

  /** Paints the bins in the plot area, then the line again so that it stays on top of them. */
  private static final class DensityLayer extends Annotation {
    private final List<Bin> bins;
    private final double logMax;
    private final double slope;
    private final XYSeries line;

    DensityLayer(List<Bin> bins, double logMax, double slope, XYSeries line) {
      super(false);
      this.bins = bins;
      this.logMax = logMax;
      this.slope = slope;
      this.line = line;
    }

    @Override
    public void paint(Graphics2D g) {
      for (Bin b : bins) {
        if (!(b.count() > 0)) {
          continue;
        }
        double x0 = chart.getScreenXFromChart(clamp(b.xFrom()));
        double x1 = chart.getScreenXFromChart(clamp(b.xTo()));
        double y0 = chart.getScreenYFromChart(clamp(b.yTo()));
        double y1 = chart.getScreenYFromChart(clamp(b.yFrom()));
        g.setColor(ColorScale.color(Math.log10(b.count()) / logMax));
        g.fill(new java.awt.geom.Rectangle2D.Double(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0),
            Math.abs(y1 - y0)));
      }
      g.setColor(line.getLineColor());
      g.setStroke(line.getLineStyle());
      g.draw(new java.awt.geom.Line2D.Double(chart.getScreenXFromChart(0), chart.getScreenYFromChart(0),
          chart.getScreenXFromChart(100), chart.getScreenYFromChart(100 * slope)));
    }

    private static double clamp(double v) {
      return Math.max(0, Math.min(100, v));
    }
  }

  /** Values with NaN and infinities as null (XChart leaves those bars out). */
  private static List<Double> clean(List<Double> v) {
    List<Double> out = new ArrayList<>(v.size());
    for (Double d : v) {
      out.add(d == null || !Double.isFinite(d) ? null : d);
    }
    return out;
  }

  static BufferedImage image(Chart<?, ?> chart) {
    return BitmapEncoder.getBufferedImage(chart);
  }

  static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    return g;
  }

  /** Writes an image as PNG. */
  static void writePng(BufferedImage image, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer in this Java");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
