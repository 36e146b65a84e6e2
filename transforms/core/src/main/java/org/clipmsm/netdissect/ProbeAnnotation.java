package org.clipmsm.netdissect;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidParameterException;

/**
 * One probe image's annotation as the Broden reader produces it (no image decoding here): its segmentation size,
 * one label plane per segmentation PNG (a pixel's concept number, {@code R + 256 G}; 0 = none), its image-level
 * concepts (the integer entries of {@code index.csv}, e.g. scene and texture, which cover the whole image) and the
 * categories annotated in it (the categories of {@code index.csv} whose cell is not empty).
 *
 * <p>A pixel carries every non-zero label of every plane, counted once per plane, as NetDissect-Lite's {@code
 * np.bincount} over the concatenated planes does. For the denominator of the IoU a category also counts as annotated
 * when one of its concepts appears in the image, whatever {@code categories} says, so that a union is never smaller
 * than its intersection.
 *
 * @param height segmentation rows ({@code sh})
 * @param width segmentation columns ({@code sw})
 * @param planes row-major {@code height x width} label planes; not copied, the caller must not change them
 * @param imageConcepts concept numbers that label the whole image
 * @param categories category numbers (of the {@link ConceptTable}) annotated in this image
 */
public record ProbeAnnotation(int height, int width, List<int[]> planes, int[] imageConcepts, int[] categories)
    implements Serializable {
  public ProbeAnnotation {
    InvalidParameterException.require(height > 0 && width > 0, "height/width",
        "expected a positive segmentation size, got " + height + " x " + width);
    planes = List.copyOf(new ArrayList<>(planes));
    imageConcepts = imageConcepts.clone();
    categories = categories.clone();
    long pixels = (long) height * width;
    for (int p = 0; p < planes.size(); p++) {
      int[] plane = planes.get(p);
      if (plane.length != pixels) {
        throw new InvalidParameterException("planes", "plane " + p + " has " + plane.length + " labels, expected "
            + height + " x " + width + " = " + pixels);
      }
    }
    for (int c : imageConcepts) {
      InvalidParameterException.require(c > 0, "imageConcepts", "expected concept numbers above 0, got " + c);
    }
    for (int k : categories) {
      InvalidParameterException.require(k >= 0, "categories", "expected category numbers >= 0, got " + k);
    }
  }

  /** An image with pixel labels only. */
  public static ProbeAnnotation ofPlanes(int height, int width, int[] categories, int[]... planes) {
    return new ProbeAnnotation(height, width, List.of(planes), new int[0], categories);
  }

  public int pixels() {
    return height * width;
  }

  @Override
  public int[] imageConcepts() {
    return imageConcepts.clone();
  }

  @Override
  public int[] categories() {
    return categories.clone();
  }

  int[] imageConceptsView() {
    return imageConcepts;
  }

  int[] categoriesView() {
    return categories;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ProbeAnnotation a) || a.height != height || a.width != width
        || a.planes.size() != planes.size() || !Arrays.equals(a.imageConcepts, imageConcepts)
        || !Arrays.equals(a.categories, categories)) {
      return false;
    }
    for (int p = 0; p < planes.size(); p++) {
      if (!Arrays.equals(a.planes.get(p), planes.get(p))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 31 * height + width;
    for (int[] p : planes) {
      h = 31 * h + Arrays.hashCode(p);
    }
    return 31 * (31 * h + Arrays.hashCode(imageConcepts)) + Arrays.hashCode(categories);
  }

  @Override
  public String toString() {
    return "ProbeAnnotation(" + height + " x " + width + ", " + planes.size() + " planes, image concepts "
        + Arrays.toString(imageConcepts) + ", categories " + Arrays.toString(categories) + ")";
  }
}
