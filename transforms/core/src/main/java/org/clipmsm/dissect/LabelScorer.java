package org.clipmsm.dissect;

import java.io.Serializable;
import org.clipmsm.linalg.Matrix;

/**
 * The similarities P prepared once for a {@link Dissection} (P' tiles for SoftWPMI and WPMI, transformed columns for
 * cos and cos^3, P itself for rank-reorder), which then scores any block of voxels on its own:
 * {@link #score} gives log p(d | E_v) for SoftWPMI and WPMI (finish with {@link LabelPrior} over the voxels
 * dissected together) and the final S for the other functions, which do not couple voxels.
 *
 * <pre>{@code
 * LabelScorer scorer = LabelScorer.prepare(p, Dissection.softWpmi());
 * double[] x = scorer.score(qBlock, firstVoxel);            // voxels x labels, row-major
 * double[] s = LabelPrior.subtract(x, qBlock.cols(), scorer.labels(), LabelPrior.of(x, qBlock.cols(),
 *     scorer.labels()), 1.0);
 * }</pre>
 */
public final class LabelScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Dissection spec;
  private final int images;
  private final int labels;
  private final LabelProbabilities probabilities;
  private final Matrix columns;

  private LabelScorer(Dissection spec, int images, int labels, LabelProbabilities probabilities, Matrix columns) {
    this.spec = spec;
    this.images = images;
    this.labels = labels;
    this.probabilities = probabilities;
    this.columns = columns;
  }

  /** @param p images x labels similarities, finite */
  public static LabelScorer prepare(Matrix p, Dissection spec) {
    return switch (spec.function()) {
      case SOFT_WPMI, WPMI -> new LabelScorer(spec, p.rows(), p.cols(), LabelProbabilities.softmax(p, spec.a()), null);
      case COS, COS3 -> new LabelScorer(spec, p.rows(), p.cols(), null,
          CosineScores.transformColumns(p, spec.function()));
      case RANK_REORDER -> new LabelScorer(spec, p.rows(), p.cols(), null, p);
    };
  }

  public Dissection spec() {
    return spec;
  }

  public int images() {
    return images;
  }

  public int labels() {
    return labels;
  }

  /**
   * @param q images x voxels activations of voxels firstVoxel, firstVoxel + 1, ...
   * @return voxels x labels, row-major
   */
  public double[] score(Matrix q, long firstVoxel) {
    if (q.rows() != images) {
      throw new IllegalArgumentException("activations have " + q.rows() + " images, similarities " + images);
    }
    return switch (spec.function()) {
      case SOFT_WPMI, WPMI -> SoftWpmi.logConditional(probabilities, TopImages.select(q, spec.topK()), q.cols(), spec);
      case COS, COS3 -> CosineScores.scores(columns, q, spec.function());
      case RANK_REORDER -> RankReorder.scores(columns, q, firstVoxel, spec);
    };
  }
}
