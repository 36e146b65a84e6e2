package org.clipmsm.dissect;

import java.io.Serializable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;

/**
 * The parameters of one dissection (docs/method.md §4): the similarity function and its constants. Immutable; each
 * {@code withX} returns a configured copy. The factories hold the defaults: {@link #softWpmi()} the CLIP-MSM paper's
 * (top_k 100, a = 1, lambda 1, p_start 0.998, p_end 0.97, min_prob 1e-7; CLIP-Dissect's own default a is 10),
 * {@link #wpmi()} CLIP-Dissect's (top_k 28, a 2, lambda 0.6), {@link #rankReorder()} CLIP-Dissect's (p 3, top
 * fraction 0.05, scale_p 0.5).
 */
public final class Dissection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SimilarityFunction function;
  private final int topK;
  private final double a;
  private final double lambda;
  private final double pStart;
  private final double pEnd;
  private final double minProb;
  private final double rankP;
  private final double topFraction;
  private final double scaleP;
  private final long seed;

  private Dissection(SimilarityFunction function, int topK, double a, double lambda, double pStart, double pEnd,
      double minProb, double rankP, double topFraction, double scaleP, long seed) {
    this.function = function;
    this.topK = topK;
    this.a = a;
    this.lambda = lambda;
    this.pStart = pStart;
    this.pEnd = pEnd;
    this.minProb = minProb;
    this.rankP = rankP;
    this.topFraction = topFraction;
    this.scaleP = scaleP;
    this.seed = seed;
  }

  public static Dissection softWpmi() {
    return new Dissection(SimilarityFunction.SOFT_WPMI, 100, 1, 1, 0.998, 0.97, 1e-7, 3, 0.05, 0.5, 0);
  }

  public static Dissection wpmi() {
    return new Dissection(SimilarityFunction.WPMI, 28, 2, 0.6, 0.998, 0.97, 1e-7, 3, 0.05, 0.5, 0);
  }

  public static Dissection cos() {
    return softWpmi().withFunction(SimilarityFunction.COS);
  }

  public static Dissection cos3() {
    return softWpmi().withFunction(SimilarityFunction.COS3);
  }

  public static Dissection rankReorder() {
    return softWpmi().withFunction(SimilarityFunction.RANK_REORDER);
  }

  /** The defaults of a function: {@link #wpmi()} for WPMI, else {@link #softWpmi()}'s constants. */
  public static Dissection defaults(SimilarityFunction f) {
    return f == SimilarityFunction.WPMI ? wpmi() : softWpmi().withFunction(f);
  }

  private Dissection withFunction(SimilarityFunction f) {
    return new Dissection(f, topK, a, lambda, pStart, pEnd, minProb, rankP, topFraction, scaleP, seed);
  }

  public Dissection withTopK(int k) {
    requireUsed("topK", function.usesTopK());
    if (k < 1) {
      throw new InvalidParameterException("topK", "expected a positive number of images, got " + k);
    }
    return new Dissection(function, k, a, lambda, pStart, pEnd, minProb, rankP, topFraction, scaleP, seed);
  }

  /** The softmax sharpness: P' = softmax(a P) over labels. */
  public Dissection withA(double v) {
    requireUsed("a", function.usesTopK());
    requireFinite("a", v);
    return new Dissection(function, topK, v, lambda, pStart, pEnd, minProb, rankP, topFraction, scaleP, seed);
  }

  public Dissection withLambda(double v) {
    requireUsed("lambda", function.usesTopK());
    requireFinite("lambda", v);
    return new Dissection(function, topK, a, v, pStart, pEnd, minProb, rankP, topFraction, scaleP, seed);
  }

  /** SoftWPMI's weights p_i = p_start - (i / k) (p_start - p_end), i = 0..k-1; both in [0, 1]. */
  public Dissection withPStart(double v) {
    requireUsed("pStart", function == SimilarityFunction.SOFT_WPMI);
    requireProbability("pStart", v);
    return new Dissection(function, topK, a, lambda, v, pEnd, minProb, rankP, topFraction, scaleP, seed);
  }

  public Dissection withPEnd(double v) {
    requireUsed("pEnd", function == SimilarityFunction.SOFT_WPMI);
    requireProbability("pEnd", v);
    return new Dissection(function, topK, a, lambda, pStart, v, minProb, rankP, topFraction, scaleP, seed);
  }

  /** The constant added inside each log (CLIP-Dissect's min_prob, 1e-7). */
  public Dissection withMinProb(double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw new InvalidParameterException("minProb", "expected a finite number >= 0, got " + v);
    }
    return new Dissection(function, topK, a, lambda, pStart, pEnd, v, rankP, topFraction, scaleP, seed);
  }

  /** Rank-reorder: the exponent of the reordering error (p, 3), the top fraction of images (0.05), scale_p (0.5). */
  public Dissection withRankReorder(double p, double fraction, double scale) {
    requireFinite("rankP", p);
    requireFinite("scaleP", scale);
    if (!(fraction > 0 && fraction <= 1)) {
      throw new InvalidParameterException("topFraction", "expected a number in (0, 1], got " + fraction);
    }
    return new Dissection(function, topK, a, lambda, pStart, pEnd, minProb, p, fraction, scale, seed);
  }

  /** Rank-reorder's baseline permutations are drawn from this seed and the voxel index (default 0). */
  public Dissection withSeed(long s) {
    return new Dissection(function, topK, a, lambda, pStart, pEnd, minProb, rankP, topFraction, scaleP, s);
  }

  public SimilarityFunction function() {
    return function;
  }

  public int topK() {
    return topK;
  }

  public double a() {
    return a;
  }

  public double lambda() {
    return lambda;
  }

  public double pStart() {
    return pStart;
  }

  public double pEnd() {
    return pEnd;
  }

  public double minProb() {
    return minProb;
  }

  public double rankP() {
    return rankP;
  }

  public double topFraction() {
    return topFraction;
  }

  public double scaleP() {
    return scaleP;
  }

  public long seed() {
    return seed;
  }

  /** The images a voxel's score looks at: top_k for (soft) WPMI, int(images x top fraction) for rank-reorder. */
  public int topImages(int images) {
    return switch (function) {
      case SOFT_WPMI, WPMI -> topK;
      case RANK_REORDER -> (int) (images * topFraction);
      default -> 0;
    };
  }

  /**
   * Checks the parameters against the number of images; {@code source} names the file that gave the images.
   *
   * @throws InvalidInputException when top_k exceeds the images, or rank-reorder would look at no image
   */
  public void checkImages(int images, String source) {
    if (function.usesTopK() && topK > images) {
      throw new InvalidParameterException("topK", topK + " top images, but " + source + " has only " + images
          + " images (expected at most as many top images as images)");
    }
    if (function == SimilarityFunction.RANK_REORDER && topImages(images) < 1) {
      throw new InvalidInputException(source + ": " + images + " images, too few for rank-reorder's top fraction "
          + topFraction + " (expected at least one top image)");
    }
  }

  /** SoftWPMI's weight of the image at rank i (0-based) among the k top images; WPMI weighs every image 1. */
  public double weight(int i) {
    if (function == SimilarityFunction.WPMI) {
      return 1;
    }
    return pStart - ((double) i / topK) * (pStart - pEnd);
  }

  /** A constant the function does not use is an error, not silently ignored. */
  private void requireUsed(String parameter, boolean used) {
    if (!used) {
      throw new InvalidParameterException(parameter, "not used by method " + function.cliName());
    }
  }

  private static void requireFinite(String what, double v) {
    if (!Double.isFinite(v)) {
      throw new InvalidParameterException(what, "expected a finite number, got " + v);
    }
  }

  private static void requireProbability(String what, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new InvalidParameterException(what, "expected a probability in [0, 1], got " + v);
    }
  }

  @Override
  public String toString() {
    return switch (function) {
      case SOFT_WPMI -> String.format("softwpmi(top_k=%d, a=%s, lambda=%s, p_start=%s, p_end=%s, min_prob=%s)", topK,
          a, lambda, pStart, pEnd, minProb);
      case WPMI -> String.format("wpmi(top_k=%d, a=%s, lambda=%s, min_prob=%s)", topK, a, lambda, minProb);
      case RANK_REORDER -> String.format("rank-reorder(p=%s, top_fraction=%s, scale_p=%s)", rankP, topFraction,
          scaleP);
      default -> function.cliName();
    };
  }
}
