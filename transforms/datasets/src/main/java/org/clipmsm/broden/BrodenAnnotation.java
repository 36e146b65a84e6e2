package org.clipmsm.broden;

import java.util.List;

/**
 * The annotation of one Broden image as Network Dissection uses it (NetDissect-Lite's {@code resolve_segmentation}
 * and {@code tally_job}): label planes and image-level labels, in global label numbers, 0 = unlabelled.
 *
 * <p>A cell holding only numbers (how scene and texture are given) yields image-level labels; any other cell yields
 * one plane per entry, a number among segmentations becoming a constant plane. Planes come in the set's category
 * order, then in the cell's order.
 *
 * @param image the image's path under {@code images/} (its key)
 * @param height {@code sh}, the rows of every plane
 * @param width {@code sw}, the columns of every plane
 * @param categories the categories annotated (the non-empty cells), in the set's category order
 * @param planes label planes, each {@code height x width} row-major (pixel (y, x) at {@code y * width + x})
 * @param planeCategories the category of each plane
 * @param imageLabels label numbers that cover the whole image
 * @param imageLabelCategories the category of each image-level label
 */
public record BrodenAnnotation(String image, int height, int width, List<String> categories, List<int[]> planes,
    List<String> planeCategories, int[] imageLabels, List<String> imageLabelCategories) {
  public BrodenAnnotation {
    categories = List.copyOf(categories);
    planes = List.copyOf(planes);
    planeCategories = List.copyOf(planeCategories);
    imageLabelCategories = List.copyOf(imageLabelCategories);
    if (planes.size() != planeCategories.size() || imageLabels.length != imageLabelCategories.size()) {
      throw new IllegalArgumentException("one category per plane and per image-level label");
    }
  }

  /** Pixels of a plane: {@code height * width}. */
  public int pixels() {
    return height * width;
  }
}
