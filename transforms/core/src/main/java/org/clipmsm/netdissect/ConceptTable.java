package org.clipmsm.netdissect;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidParameterException;

/**
 * The concepts of a probe set and the category each is scored in: Broden's {@code label.csv} numbering (number 0 is
 * the unlabelled "-", never a concept) and each label's primary category (the category where it has the largest
 * coverage, as NetDissect-Lite's {@code primary_categories_per_index}).
 *
 * @param categories the category names; a category's number is its index here
 * @param categoryOf {@code categoryOf[c]} = the category number of concept {@code c}, or -1 for a number that is
 *     not scored (0, and e.g. every label of a category left out, as NetDissect-Lite leaves out material); its length
 *     is the number of concept numbers (the largest plus one)
 */
public record ConceptTable(List<String> categories, int[] categoryOf) implements Serializable {
  public ConceptTable {
    categories = List.copyOf(categories);
    categoryOf = categoryOf.clone();
    InvalidParameterException.require(categoryOf.length > 0 && categoryOf[0] == -1, "categoryOf",
        "expected number 0 (unlabelled) to have no category (-1), got "
            + (categoryOf.length == 0 ? "an empty table" : String.valueOf(categoryOf[0])));
    for (int c = 1; c < categoryOf.length; c++) {
      int k = categoryOf[c];
      if (k < -1 || k >= categories.size()) {
        throw new InvalidParameterException("categoryOf", "concept " + c + " has category " + k
            + ", expected -1 or 0.." + (categories.size() - 1));
      }
    }
  }

  /** Concept numbers, including the unlabelled 0. */
  public int concepts() {
    return categoryOf.length;
  }

  public int categoryCount() {
    return categories.size();
  }

  /** The category number of concept {@code c}, or -1 when {@code c} is not scored. */
  public int category(int c) {
    return categoryOf[c];
  }

  @Override
  public int[] categoryOf() {
    return categoryOf.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConceptTable t && t.categories.equals(categories) && Arrays.equals(t.categoryOf, categoryOf);
  }

  @Override
  public int hashCode() {
    return 31 * categories.hashCode() + Arrays.hashCode(categoryOf);
  }

  @Override
  public String toString() {
    return "ConceptTable(" + categories + ", " + categoryOf.length + " numbers)";
  }
}
