package org.clipmsm.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void numbersToFourSignificantDigits() {
    assertEquals("0.1235", Html.number(0.123456));
    assertEquals("12.35", Html.number(12.3456));
    assertEquals("0.85", Html.number(0.85));
    assertEquals("1235", Html.number(1234.56));
    assertEquals("-0.002", Html.number(-0.002));
    assertEquals("1.20e-16", Html.number(1.2e-16));
    assertEquals("0", Html.number(0));
    assertEquals("NaN", Html.number(Double.NaN));
    assertEquals("inf", Html.number(Double.POSITIVE_INFINITY));
    assertEquals("17", Html.cell("17"), "whole numbers as they are");
    assertEquals("0.3333", Html.cell("0.333333333"));
    assertEquals("NaN", Html.cell("nan"));
    assertEquals("floc-faces", Html.cell("floc-faces"));
    assertEquals("1e3x", Html.cell("1e3x"));
  }

  @Test
  void textIsEscapedAndLinksStayRelative() {
    assertEquals("a&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", Html.escape("a<b> & \"c\" 'd'"));
    assertEquals("../evaluation/fig2_r2.csv", Html.href("../evaluation/fig2_r2.csv"));
    assertEquals("maps/sub%2001/a%23b.png", Html.href("maps/sub 01/a#b.png"));
    assertEquals("./c:d.png", Html.href("c:d.png"), "not a scheme");
  }

  @Test
  void aLongTableShowsItsFirstRowsAndSaysSo() {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(List.of("s" + i, Double.toString(i / 3.0), i == 2 ? "0.01" : "0.5"));
    }
    StringBuilder b = new StringBuilder();
    new Html.Table("cap <x>", List.of("subject", "r", "p"), rows, 3).write(b);
    String html = b.toString();
    assertTrue(html.contains("<caption>cap &lt;x&gt;</caption>"), html);
    assertTrue(html.contains("<td>s2</td><td class=\"num\">0.6667</td><td class=\"num sig\">0.01</td>"), html);
    assertTrue(!html.contains("s3") && html.contains("The first 3 of 5 rows"), html);
  }
}
