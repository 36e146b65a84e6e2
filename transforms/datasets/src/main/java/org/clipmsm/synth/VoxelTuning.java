package org.clipmsm.synth;

import java.util.Random;

/**
 * Planted multi-semantic tuning (voxels x categories, rows non-negative and summing to 1) of the voxels of a
 * synthetic subject, each drawn in the cluster ("patch") of one category, its home category; a voxel outside every
 * patch (home -1) gets a random mixture, Dirichlet(1, ..., 1). Two regimes ({@link TuningRegime}, docs/datasets.md
 * §5):
 *
 * <p><b>DOMINANT</b> ({@link #draw(int[], int, Random)}): the home category weighs U(0.45, 0.8) and the rest is shared
 * among the other categories by Dirichlet(1) weights, so the argmax is always the home category and a one-hot label
 * already says everything that separates the voxels.
 *
 * <p><b>CORTEX</b>: category-selective cortex is graded and mixed rather than one category per region. Responses in
 * ventral temporal cortex are distributed and overlapping (Haxby et al. 2001, Science); face- and body-selective
 * cortex abut and overlap on the fusiform gyrus (Peelen and Downing 2005, J Neurophysiol; Kim et al. 2014, Front Hum
 * Neurosci); food-selective cortex lies beside and partly overlaps face- and place-selective cortex on the ventral
 * surface (Khosla et al. 2022, Curr Biol; Jain et al. 2023, Commun Biol; Pennock et al. 2023, Curr Biol); and the
 * voxels of one region differ in their tuning to everything else (Çukur et al. 2016, J Neurosci: two subdomains in
 * each of PPA, RSC and OPA). So each patch holds three kinds of voxel, in fixed proportions, placed in the patch by a
 * seeded shuffle:
 *
 * <ul>
 *   <li>selective ({@code 1 - MIXED_FRACTION - WEAK_FRACTION} = 50%): the home category weighs
 *       U({@link #SELECTIVE_MIN}, {@link #SELECTIVE_MAX}) = U(0.40, 0.75), graded rather than near-binary;
 *   <li>two-category ({@link #MIXED_FRACTION} = 30%): the home category and a neighbouring one ({@link #PARTNERS})
 *       share U({@link #PAIR_MIN}, {@link #PAIR_MAX}) = U(0.70, 0.90) of the weight, the partner taking
 *       U({@link #SPLIT_MIN}, {@link #SPLIT_MAX}) = U(0.45, 0.55) of it, so either may win and the two top weights
 *       differ by at most 0.9 x 0.1 = 0.09 &lt; {@link #CLOSE_MARGIN} (both are at least 0.315, above the 0.30 left
 *       to the rest, so they are the top two);
 *   <li>weakly selective ({@link #WEAK_FRACTION} = 20%): {@code lead e_home + (1 - lead) u} with lead ~ U(0,
 *       {@link #WEAK_LEAD_MAX}) = U(0, 0.15) and u ~ Dirichlet(5, ..., 5) ({@link #WEAK_CONCENTRATION}), close to flat
 *       (0.2 each) with a slight lean to the home category: most such voxels have no weight above {@link #WEAK_TOP}.
 * </ul>
 *
 * <p>In every kind the categories not named above share the rest by Dirichlet(1) weights drawn per voxel, so the
 * secondary tuning varies from voxel to voxel within a patch. The fractions and ranges are design choices fixed before
 * any method was run on the subjects (the literature gives the qualitative picture, not these numbers); they are not
 * tuned to how CLIP-MSM or CLIP-Dissect score.
 */
public final class VoxelTuning {
  /** CORTEX: fraction of each patch's voxels tuned to two neighbouring categories nearly equally. */
  public static final double MIXED_FRACTION = 0.30;
  /** CORTEX: fraction of each patch's voxels that are weakly selective. */
  public static final double WEAK_FRACTION = 0.20;
  /** CORTEX: the home weight of a selective voxel is U(SELECTIVE_MIN, SELECTIVE_MAX) (DOMINANT: U(0.45, 0.8)). */
  public static final double SELECTIVE_MIN = 0.40;
  public static final double SELECTIVE_MAX = 0.75;
  /** CORTEX: a two-category voxel gives U(PAIR_MIN, PAIR_MAX) to its home category and its partner together. */
  public static final double PAIR_MIN = 0.70;
  public static final double PAIR_MAX = 0.90;
  /** CORTEX: of which the partner takes U(SPLIT_MIN, SPLIT_MAX). */
  public static final double SPLIT_MIN = 0.45;
  public static final double SPLIT_MAX = 0.55;
  /** CORTEX: a weakly selective voxel leans to its home category by U(0, WEAK_LEAD_MAX). */
  public static final double WEAK_LEAD_MAX = 0.15;
  /** CORTEX: and is otherwise Dirichlet(WEAK_CONCENTRATION, ...): per category mean 0.2, sd 0.078. */
  public static final int WEAK_CONCENTRATION = 5;
  /** Two top weights closer than this are "close": every two-category voxel's are (they differ by &lt;= 0.09). */
  public static final double CLOSE_MARGIN = 0.10;
  /**
   * A voxel none of whose weights exceeds this is weakly selective (flat = 0.2): its noise-free fLoc contrast is then
   * at most 1.25 x 0.35 - 0.25 = 0.1875, below {@link FlocRois#CONTRAST_THRESHOLD}.
   */
  public static final double WEAK_TOP = 0.35;

  /**
   * CORTEX: the categories ({@link Category} ordinals) a two-category voxel of each home category shares its
   * preference with, one drawn uniformly: the neighbours of each domain on occipitotemporal cortex. Faces: bodies
   * (fusiform and lateral occipital overlap), words (the visual word form area beside face-selective cortex on the
   * lateral fusiform; Grill-Spector and Weiner 2014, Nat Rev Neurosci) and food (flanking the fusiform face
   * area); bodies: faces; places: food (medial food-selective cortex beside the parahippocampal place area); words:
   * faces; food: faces and places (Khosla et al. 2022; Jain et al. 2023).
   */
  static final int[][] PARTNERS = {
      {Category.BODIES.ordinal(), Category.WORDS.ordinal(), Category.FOOD.ordinal()},
      {Category.FACES.ordinal()},
      {Category.FOOD.ordinal()},
      {Category.FACES.ordinal()},
      {Category.FACES.ordinal(), Category.PLACES.ordinal()}};

  /** The three kinds of CORTEX voxel. */
  enum Kind { SELECTIVE, MIXED, WEAK }

  private VoxelTuning() {}

  /** The DOMINANT regime (the tuning of the first synthetic subjects, draw for draw). */
  public static double[][] draw(int[] roiCategory, int categories, Random rnd) {
    double[][] out = new double[roiCategory.length][categories];
    for (int v = 0; v < roiCategory.length; v++) {
      double[] w = new double[categories];
      double rest = 0;
      for (int c = 0; c < categories; c++) {
        w[c] = -Math.log(1 - rnd.nextDouble()); // Exp(1): Dirichlet(1, ..., 1) after normalising
        rest += w[c];
      }
      int roi = roiCategory[v];
      if (roi >= 0) {
        double dominant = 0.45 + 0.35 * rnd.nextDouble();
        double others = rest - w[roi];
        for (int c = 0; c < categories; c++) {
          out[v][c] = c == roi ? dominant : (1 - dominant) * w[c] / others;
        }
      } else {
        for (int c = 0; c < categories; c++) {
          out[v][c] = w[c] / rest;
        }
      }
    }
    return out;
  }

  /** The tuning of the given regime; {@code home} holds each voxel's patch category (-1: none). */
  public static double[][] draw(TuningRegime regime, int[] home, int categories, Random rnd) {
    return switch (regime) {
      case DOMINANT -> draw(home, categories, rnd);
      case CORTEX -> cortex(home, categories, rnd);
    };
  }

  /** The CORTEX regime (categories must be the five of {@link Category}). */
  static double[][] cortex(int[] home, int categories, Random rnd) {
    if (categories != PARTNERS.length) {
      throw new IllegalArgumentException("the cortex regime tunes the " + PARTNERS.length + " categories of Category,"
          + " got " + categories);
    }
    Kind[] kinds = kinds(home, categories, rnd);
    double[][] out = new double[home.length][categories];
    for (int v = 0; v < home.length; v++) {
      int h = home[v];
      double[] w = out[v];
      if (h < 0) {
        share(w, 1, new int[0], rnd);
        continue;
      }
      switch (kinds[v]) {
        case SELECTIVE -> {
          w[h] = SELECTIVE_MIN + (SELECTIVE_MAX - SELECTIVE_MIN) * rnd.nextDouble();
          share(w, 1 - w[h], new int[] {h}, rnd);
        }
        case MIXED -> {
          int[] partners = PARTNERS[h];
          int p = partners[rnd.nextInt(partners.length)];
          double pair = PAIR_MIN + (PAIR_MAX - PAIR_MIN) * rnd.nextDouble();
          double split = SPLIT_MIN + (SPLIT_MAX - SPLIT_MIN) * rnd.nextDouble();
          w[h] = pair * (1 - split);
          w[p] = pair * split;
          share(w, 1 - pair, new int[] {h, p}, rnd);
        }
        case WEAK -> {
          double lead = WEAK_LEAD_MAX * rnd.nextDouble();
          double[] g = new double[categories];
          double sum = 0;
          for (int c = 0; c < categories; c++) {
            for (int k = 0; k < WEAK_CONCENTRATION; k++) {
              g[c] -= Math.log(1 - rnd.nextDouble()); // Gamma(5, 1) as a sum of five Exp(1)
            }
            sum += g[c];
          }
          for (int c = 0; c < categories; c++) {
            w[c] = (1 - lead) * g[c] / sum + (c == h ? lead : 0);
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    return out;
  }

  /**
   * The kind of each voxel: in each patch, round(MIXED_FRACTION n) two-category voxels, round(WEAK_FRACTION n) weakly
   * selective ones and the rest selective, shuffled over the patch's voxels (-1: null).
   */
  static Kind[] kinds(int[] home, int categories, Random rnd) {
    Kind[] out = new Kind[home.length];
    for (int c = 0; c < categories; c++) {
      int n = 0;
      for (int h : home) {
        n += h == c ? 1 : 0;
      }
      Kind[] patch = new Kind[n];
      int mixed = (int) Math.round(MIXED_FRACTION * n);
      int weak = (int) Math.round(WEAK_FRACTION * n);
      for (int i = 0; i < n; i++) {
        patch[i] = i < mixed ? Kind.MIXED : i < mixed + weak ? Kind.WEAK : Kind.SELECTIVE;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        Kind t = patch[i];
        patch[i] = patch[j];
        patch[j] = t;
      }
      int i = 0;
      for (int v = 0; v < home.length; v++) {
        if (home[v] == c) {
          out[v] = patch[i++];
        }
      }
    }
    return out;
  }

  /** Shares {@code total} among the categories not in {@code taken} by Dirichlet(1) weights. */
  private static void share(double[] w, double total, int[] taken, Random rnd) {
    double[] g = new double[w.length];
    double sum = 0;
    for (int c = 0; c < w.length; c++) {
      if (!contains(taken, c)) {
        g[c] = -Math.log(1 - rnd.nextDouble());
        sum += g[c];
      }
    }
    for (int c = 0; c < w.length; c++) {
      if (!contains(taken, c)) {
        w[c] = total * g[c] / sum;
      }
    }
  }

  private static boolean contains(int[] a, int x) {
    for (int y : a) {
      if (y == x) {
        return true;
      }
    }
    return false;
  }
}
