package org.clipmsm.cli;

import org.clipmsm.pipelines.SignificanceTest;
import picocli.CommandLine.Option;

/** Resamples and FDR level of the bootstrap, shared by {@code significance} and {@code fit --significance}. */
final class SignificanceTestOptions {
  @Option(names = "--bootstraps", description = "Bootstrap resamples of the test rows (default ${DEFAULT-VALUE}).")
  int bootstraps = SignificanceTest.DEFAULTS.bootstraps();

  @Option(names = "--q", description = "FDR level (default ${DEFAULT-VALUE}).")
  double q = SignificanceTest.DEFAULTS.q();

  /** The test with this resampling seed. */
  SignificanceTest test(long seed) {
    return new SignificanceTest(bootstraps, seed, q);
  }
}
