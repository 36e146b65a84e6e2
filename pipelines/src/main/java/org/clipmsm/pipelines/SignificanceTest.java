package org.clipmsm.pipelines;

import java.io.Serializable;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.stats.Bootstrap;

/**
 * Bootstrap significance of each voxel's test R^2 and its Benjamini-Hochberg adjustment (docs/method.md §3.2-3.3),
 * as {@code significance} and {@code fit} run it.
 *
 * @param bootstraps resamples of the test rows (the method's 2,000)
 * @param bootstrapSeed seed of {@code numpy.random.RandomState} that draws them (0 .. 2^32 - 1)
 * @param q the FDR level, in (0, 1) (the method's 0.05)
 */
public record SignificanceTest(int bootstraps, long bootstrapSeed, double q) implements Serializable {
  public static final SignificanceTest DEFAULTS = new SignificanceTest(2000, 41, 0.05);

  public SignificanceTest {
    Bootstrap.checkResamples(bootstraps);
    InvalidParameterException.require(bootstrapSeed >= 0 && bootstrapSeed <= 0xFFFFFFFFL, "bootstrapSeed",
        "expected a NumPy RandomState seed, 0 .. 4294967295, got " + bootstrapSeed);
    InvalidParameterException.require(q > 0 && q < 1, "q", "expected an FDR level in (0, 1), got " + q);
  }

  public SignificanceTest withBootstraps(int n) {
    return new SignificanceTest(n, bootstrapSeed, q);
  }

  public SignificanceTest withBootstrapSeed(long s) {
    return new SignificanceTest(bootstraps, s, q);
  }

  public SignificanceTest withQ(double level) {
    return new SignificanceTest(bootstraps, bootstrapSeed, level);
  }
}
