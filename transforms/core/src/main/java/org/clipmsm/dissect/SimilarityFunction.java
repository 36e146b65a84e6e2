package org.clipmsm.dissect;

import java.util.Locale;
import org.clipmsm.InvalidParameterException;

/**
 * CLIP-Dissect's similarity functions between a voxel's activations and a label's image similarities (docs/method.md
 * §4),
 * by their command-line names.
 */
public enum SimilarityFunction {
  /** Soft weighted pointwise mutual information: the CLIP-MSM paper's and CLIP-Dissect's default. */
  SOFT_WPMI("softwpmi"),
  /** Weighted pointwise mutual information over the top images, every image fully counted. */
  WPMI("wpmi"),
  /** Cosine between the voxel's activation column and the label's similarity column. */
  COS("cos"),
  /** Cosine after centring each column over images and cubing it. */
  COS3("cos3"),
  /** Negative rank-reordering error of the top images. */
  RANK_REORDER("rank-reorder");

  private final String cliName;

  SimilarityFunction(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** Whether S = log p(d|E_v) - lambda log p(d), the form that couples the voxels dissected together. */
  public boolean usesLabelPrior() {
    return this == SOFT_WPMI || this == WPMI;
  }

  /** Whether the function looks at a voxel's top-k images (top_k, a and the softmax over labels). */
  public boolean usesTopK() {
    return this == SOFT_WPMI || this == WPMI;
  }

  public static SimilarityFunction parse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (SimilarityFunction f : values()) {
      if (f.cliName.equals(n)) {
        return f;
      }
    }
    throw new InvalidParameterException("method", "expected softwpmi, wpmi, cos, cos3 or rank-reorder, got " + name);
  }
}
