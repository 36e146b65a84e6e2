package org.clipmsm.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ground truth of each label of Figs. 5-6 (docs/evaluation.md §2): an fLoc map of prepare's
 * {@code floc_<map>.npy}, the first of a list that exists, or for food the mean response to the food images. Labels
 * are matched without regard to case or surrounding spaces; other labels have none.
 */
public final class GroundTruth {
  /** The label whose ground truth is the mean response to the images of food_images.csv. */
  public static final String FOOD = "food";

  private static final Map<String, List<String>> FLOC = Map.of(
      "faces", List.of("faces", "face"),
      "bodies", List.of("bodies", "body"),
      "places", List.of("places", "place"),
      "words", List.of("characters", "character", "word"));

  private GroundTruth() {}

  /** The fLoc maps that may stand for a label, in order of preference; empty if it has none (food included). */
  public static List<String> flocMaps(String label) {
    return FLOC.getOrDefault(key(label), List.of());
  }

  /** Whether the label is food, whose ground truth is the mean response to the food images. */
  public static boolean isFood(String label) {
    return key(label).equals(FOOD);
  }

  /** Whether the label has a ground truth at all (given the inputs it needs). */
  public static boolean hasOne(String label) {
    return isFood(label) || !flocMaps(label).isEmpty();
  }

  private static String key(String label) {
    return label.strip().toLowerCase(Locale.ROOT);
  }
}
