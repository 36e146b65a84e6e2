package org.clipmsm.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumsTest {
  /** The exact sum in BigDecimal, rounded once to a double (BigDecimal.doubleValue rounds half to even). */
  private static double exact(List<Double> values) {
    BigDecimal s = BigDecimal.ZERO;
    for (double v : values) {
      s = s.add(new BigDecimal(v));
    }
    return s.round(MathContext.UNLIMITED).doubleValue();
  }

  @Test
  void cancellationThatNaiveSummingLoses() {
    ExactSums s = new ExactSums(1);
    for (double v : new double[] {1e100, 1.0, -1e100, 1e-30}) {
      s.add(0, v);
    }
    assertEquals(1.0 + 1e-30, s.sums()[0]);
    assertEquals(1e-30, (1e100 + 1.0 - 1e100) + 1e-30 - 0.0, "the naive sum loses the 1");
  }

  @Test
  void equalsTheCorrectlyRoundedSumInAnyOrderAndAnySplit() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      List<Double> values = new ArrayList<>();
      int n = 1 + rnd.nextInt(300);
      for (int k = 0; k < n; k++) {
        double scale = Math.pow(10, rnd.nextInt(40) - 20);
        values.add((rnd.nextDouble() - 0.5) * scale);
      }
      double expected = exact(values);
      ExactSums whole = new ExactSums(1);
      for (double v : values) {
        whole.add(0, v);
      }
      assertEquals(expected, whole.sums()[0], "trial " + trial);
      Collections.shuffle(values, rnd);
      int cut = rnd.nextInt(values.size() + 1);
      ExactSums a = new ExactSums(1);
      ExactSums b = new ExactSums(1);
      for (int k = 0; k < values.size(); k++) {
        (k < cut ? a : b).add(0, values.get(k));
      }
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(b.merge(a).sums()[0]),
          "trial " + trial + ": shuffled and split");
    }
  }

  @Test
  void halfwayCasesRoundToEven() {
    // 1 + 2^-53 is exactly half-way between 1 and the next double: it rounds to 1 (even); with a tiny push up, to
    // 1 + 2^-52.
    ExactSums s = new ExactSums(2);
    s.add(0, 1.0);
    s.add(0, Math.scalb(1.0, -53));
    s.add(1, 1.0);
    s.add(1, Math.scalb(1.0, -53));
    s.add(1, Math.scalb(1.0, -80));
    assertEquals(1.0, s.sums()[0]);
    assertEquals(1.0 + Math.ulp(1.0), s.sums()[1]);
  }
}
