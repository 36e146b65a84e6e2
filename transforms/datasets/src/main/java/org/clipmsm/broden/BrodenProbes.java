package org.clipmsm.broden;

import java.util.Arrays;
import org.clipmsm.netdissect.ConceptTable;
import org.clipmsm.netdissect.ProbeAnnotation;

/**
 * A Broden set in the terms of the Network Dissection kernels ({@code org.clipmsm.netdissect}): its concept table and
 * its images' annotations.
 */
public final class BrodenProbes {
  private BrodenProbes() {}

  /**
   * The concepts of the set: numbers 0 to {@link BrodenSet#labelCount()} - 1, the categories being the selected
   * ones in the set's order. A label listed in the {@code c_} file of a selected category is scored in its primary
   * category ({@link BrodenSet#primaryCategories()}, NetDissect-Lite's rule); 0, numbers label.csv lacks and labels
   * of no selected category (material's, by default) are not scored (-1).
   */
  public static ConceptTable conceptTable(BrodenSet set) {
    int[] primary = set.primaryCategories();
    int[] categoryOf = new int[set.labelCount()];
    Arrays.fill(categoryOf, -1);
    for (int n = 1; n < categoryOf.length; n++) {
      for (String category : set.categories()) {
        if (set.code(category, n) != 0) {
          categoryOf[n] = primary[n];
          break;
        }
      }
    }
    return new ConceptTable(set.categories(), categoryOf);
  }

  /**
   * An image's annotation for the kernels: its planes as they are, its non-zero image-level labels (a 0 names no
   * concept), and its annotated categories as indices into {@link BrodenSet#categories()}.
   */
  public static ProbeAnnotation annotation(BrodenSet set, BrodenAnnotation a) {
    int[] imageConcepts = Arrays.stream(a.imageLabels()).filter(n -> n != 0).toArray();
    int[] categories = a.categories().stream().mapToInt(set.categories()::indexOf).toArray();
    return new ProbeAnnotation(a.height(), a.width(), a.planes(), imageConcepts, categories);
  }

  /** Reads image {@code i} of the set ({@link BrodenSet#read(int)}) as the kernels take it. */
  public static ProbeAnnotation read(BrodenSet set, int i) {
    return annotation(set, set.read(i));
  }
}
