package org.clipmsm.nod;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * One NOD run's single-trial betas on the surface: ciftify's
 * {@code results/ses-<S>_task-<T>_run-<R>/ses-<S>_task-<T>_run-<R>_beta.dscalar.nii} (one map per trial) and its
 * {@code _label.txt} (one stimulus per map). Paths are held as strings so that the run travels to Beam workers.
 */
public record NodRun(String session, String task, int run, String betasFile, String labelsFile)
    implements Serializable {
  public NodRun(String session, String task, int run, Path betas, Path labels) {
    this(session, task, run, betas.toString(), labels.toString());
  }

  public Path betas() {
    return Path.of(betasFile);
  }

  public Path labels() {
    return Path.of(labelsFile);
  }
}
