/**
 * The statistics of the paper's comparisons (docs/evaluation.md): paired t-tests, Pearson's r, cosines, the 2-D
 * histogram of R^2 against the noise ceiling, per-ROI means and medians, the [0, 1] scaling of brain maps, and the
 * ground truth of each label. Plain Java on Commons Math; NaN wherever a statistic is undefined.
 */
package org.clipmsm.evaluation;
