package org.clipmsm.nod;

import java.nio.file.Path;

/**
 * One NOD run's single-trial betas on the surface: ciftify's
 * {@code results/ses-<S>_task-<T>_run-<R>/ses-<S>_task-<T>_run-<R>_beta.dscalar.nii} (one map per trial) and its
 * {@code _label.txt} (one stimulus per map).
 */
public record NodRun(String session, String task, int run, Path betas, Path labels) {}
