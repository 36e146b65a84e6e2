package org.clipmsm.pipelines.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page of the report as plain HTML: no script from elsewhere, no font, no style sheet other than its own; images
 * and CSV files by relative links. Numbers in tables are shown to four significant digits (whole numbers as they
 * are, very small ones such as p-values in scientific notation); the CSV files are the exact values.
 */
final class Html {
  private Html() {}

  /** Text as HTML. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A relative path ('/'-separated segments) as a URL reference: each segment percent-encoded where needed. */
  static String href(String relativePath) {
    try {
      // The multi-argument URI constructor quotes what a path may not hold (spaces, %, #, ?, non-ASCII).
      String s = new URI(null, null, relativePath, null).toASCIIString();
      // A first segment with ':' would read as a scheme: make it explicitly relative.
      int colon = s.indexOf(':');
      int slash = s.indexOf('/');
      return colon >= 0 && (slash < 0 || colon < slash) ? "./" + s : s;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(relativePath, e);
    }
  }

  /** A field of a CSV as a table shows it. */
  static String cell(String raw) {
    String s = raw.strip();
    if (s.matches("[+-]?\\d{1,18}")) {
      return s;
    }
    Double d = EvalCsv.parse(s);
    return d == null ? s : number(d);
  }

  /** A number to four significant digits; scientific below 0.001; whole above 1000; NaN and infinities named. */
  static String number(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return "0";
    }
    double a = Math.abs(x);
    if (a < 1e-3) {
      return String.format(Locale.ROOT, "%.2e", x);
    }
    if (a >= 1e15) {
      return String.format(Locale.ROOT, "%.4e", x);
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%.0f", x);
    }
    return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A table: a caption, a header and rows of raw fields, shown formatted by {@link #cell}. */
  record Table(String caption, List<String> header, List<List<String>> rows, int limit) {
    static final int DEFAULT_LIMIT = 1500;

    Table {
      header = List.copyOf(header);
      rows = List.copyOf(rows);
    }

    static Table of(String caption, List<String> header, List<List<String>> rows) {
      return new Table(caption, header, rows, DEFAULT_LIMIT);
    }

    /** The whole of a CSV file. */
    static Table of(String caption, EvalCsv csv) {
      List<List<String>> rows = new ArrayList<>(csv.size());
      for (int i = 0; i < csv.size(); i++) {
        rows.add(csv.row(i));
      }
      return of(caption, csv.header(), rows);
    }

    void write(StringBuilder b) {
      b.append("<div class=\"table\"><table>\n<caption>").append(escape(caption)).append("</caption>\n<thead><tr>");
      for (String h : header) {
        b.append("<th>").append(escape(h)).append("</th>");
      }
      b.append("</tr></thead>\n<tbody>\n");
      int shown = Math.min(limit, rows.size());
      for (int r = 0; r < shown; r++) {
        b.append("<tr>");
        List<String> row = rows.get(r);
        for (int c = 0; c < header.size(); c++) {
          String raw = c < row.size() ? row.get(c) : "";
          String shownText = cell(raw);
          boolean numeric = EvalCsv.parse(raw) != null;
          String cls = numeric ? "num" : "";
          if (header.get(c).equals("p") && numeric && EvalCsv.parse(raw) < 0.05) {
            cls += " sig";
          }
          b.append(cls.isEmpty() ? "<td>" : "<td class=\"" + cls.strip() + "\">");
          b.append(escape(shownText)).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</tbody></table>");
      if (shown < rows.size()) {
        b.append("<p class=\"note\">The first ").append(shown).append(" of ").append(rows.size())
            .append(" rows; the CSV file holds them all.</p>");
      }
      b.append("</div>\n");
    }
  }

  /** An image of the report: its file (relative to the page), size in pixels and what it shows. */
  record Image(String src, int width, int height, String alt, String caption) {}

  /** A figure's images with the tables and notes beside them. */
  static final class Row {
    final List<Image> images = new ArrayList<>();
    private boolean gallery;
    final List<Table> tables = new ArrayList<>();
    final List<String> notesHtml = new ArrayList<>();

    Row image(Image i) {
      images.add(i);
      return this;
    }

    Row table(Table t) {
      tables.add(t);
      return this;
    }

    /** Many images: the tables and notes first, then the images side by side across the page. */
    Row gallery() {
      gallery = true;
      return this;
    }

    /** A paragraph of trusted HTML (built with {@link #escape}) beside the tables. */
    Row noteHtml(String html) {
      notesHtml.add(html);
      return this;
    }

    void write(StringBuilder b) {
      b.append("<div class=\"row\">\n");
      if (gallery) {
        writeTables(b);
      }
      if (!images.isEmpty()) {
        b.append(gallery ? "<div class=\"gallery\">\n" : "<div class=\"figures\">\n");
        for (Image i : images) {
          b.append("<figure><img src=\"").append(escape(href(i.src()))).append("\" width=\"").append(i.width())
              .append("\" height=\"").append(i.height()).append("\" alt=\"").append(escape(i.alt())).append("\">");
          if (!i.caption().isEmpty()) {
            b.append("<figcaption>").append(escape(i.caption())).append("</figcaption>");
          }
          b.append("</figure>\n");
        }
        b.append("</div>\n");
      }
      if (!gallery) {
        writeTables(b);
      }
      b.append("</div>\n");
    }

    private void writeTables(StringBuilder b) {
      if (!tables.isEmpty() || !notesHtml.isEmpty()) {
        b.append("<div class=\"tables\">\n");
        for (String n : notesHtml) {
          b.append("<p>").append(n).append("</p>\n");
        }
        for (Table t : tables) {
          t.write(b);
        }
        b.append("</div>\n");
      }
    }
  }

  /** A section of the page: a heading, paragraphs, rows of figures and tables, and what could not be drawn. */
  static final class Section {
    final String id;
    final String heading;
    private final StringBuilder body = new StringBuilder();
    int images;
    int tables;
    final List<String> missing = new ArrayList<>();

    Section(String id, String heading) {
      this.id = id;
      this.heading = heading;
    }

    Section subheading(String text) {
      body.append("<h3>").append(escape(text)).append("</h3>\n");
      return this;
    }

    /** A paragraph of trusted HTML. */
    Section paragraphHtml(String html) {
      body.append("<p>").append(html).append("</p>\n");
      return this;
    }

    Section paragraph(String text) {
      return paragraphHtml(escape(text));
    }

    /** The sentence that stands for a figure that cannot be drawn. */
    Section missing(String sentence) {
      missing.add(sentence);
      body.append("<p class=\"missing\">").append(escape(sentence)).append("</p>\n");
      return this;
    }

    Section row(Row r) {
      images += r.images.size();
      tables += r.tables.size();
      r.write(body);
      return this;
    }

    void write(StringBuilder b) {
      b.append("<section id=\"").append(escape(id)).append("\">\n<h2>").append(escape(heading)).append("</h2>\n")
          .append(body).append("</section>\n");
    }
  }

  private static final String STYLE = """
      body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; margin: 24px 32px; color: #222;
             background: #fff; font-size: 15px; line-height: 1.4; }
      h1 { font-size: 26px; margin-bottom: 4px; }
      h2 { font-size: 21px; border-bottom: 2px solid #ccc; padding-bottom: 4px; margin-top: 40px; }
      h3 { font-size: 17px; margin: 26px 0 8px; }
      nav ul { columns: 2; max-width: 900px; }
      .row { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; margin-bottom: 12px; }
      .figures { flex: 0 1 auto; max-width: 100%; }
      .gallery { display: flex; flex-wrap: wrap; gap: 16px; width: 100%; }
      figure { margin: 0 0 16px; }
      figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
      figcaption { font-size: 13px; color: #555; max-width: 800px; }
      .tables { flex: 1 1 420px; min-width: 0; }
      .table { max-height: 520px; overflow: auto; margin-bottom: 14px; border: 1px solid #ddd; width: fit-content;
               max-width: 100%; }
      table { border-collapse: collapse; font-size: 12px; }
      caption { text-align: left; font-weight: bold; padding: 5px 6px; background: #f4f4f4; }
      th, td { padding: 2px 6px; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
      th { position: sticky; top: 0; background: #e9eef5; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      td.sig { font-weight: bold; }
      tbody tr:nth-child(even) { background: #fafafa; }
      .missing { background: #fff4e0; border-left: 4px solid #e0a030; padding: 8px 12px; }
      .note { font-size: 13px; color: #555; }
      .tables p { margin: 0 0 8px; }
      code { background: #f2f2f2; padding: 0 3px; }
      """;

  /**
   * After the page has loaded, marks the body with how many images it holds and which did not load (their src,
   * space-separated), and the page's height: {@code tools/check-report} reads these from the rendered page.
   */
  private static final String IMAGE_CHECK = """
      window.addEventListener('load', function () {
        var broken = [];
        for (var i = 0; i < document.images.length; i++) {
          var img = document.images[i];
          if (!img.complete || img.naturalWidth === 0) { broken.push(img.getAttribute('src')); }
        }
        document.body.setAttribute('data-images', String(document.images.length));
        document.body.setAttribute('data-broken-images', broken.join(' '));
        document.body.setAttribute('data-page-height', String(document.documentElement.scrollHeight));
      });
      """;

  /** The whole page. */
  static String page(String title, String introHtml, List<Section> sections) {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<h1>")
        .append(escape(title)).append("</h1>\n").append(introHtml).append("<nav><ul>\n");
    for (Section s : sections) {
      b.append("<li><a href=\"#").append(escape(s.id)).append("\">").append(escape(s.heading)).append("</a></li>\n");
    }
    b.append("</ul></nav>\n");
    for (Section s : sections) {
      s.write(b);
    }
    b.append("<script>\n").append(IMAGE_CHECK).append("</script>\n</body>\n</html>\n");
    return b.toString();
  }
}
