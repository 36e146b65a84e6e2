package org.clipmsm.netdissect;

import java.io.Serializable;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;

/**
 * The parameters of Network Dissection (Bau et al. 2017; docs/method.md §5) with NetDissect-Lite's defaults:
 * threshold {@code T_v} at the top {@link #quantile()} (0.005) of a voxel's map values over all positions of all probe
 * images, interpretable when the best IoU is at least {@link #iouThreshold()} (0.04). Immutable; each {@code withX}
 * returns a checked copy.
 */
public final class NetDissection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** NetDissect-Lite's {@code QUANTILE}. */
  public static final double DEFAULT_QUANTILE = 0.005;
  /** NetDissect-Lite's {@code SCORE_THRESHOLD}. */
  public static final double DEFAULT_IOU_THRESHOLD = 0.04;

  /**
   * Which of a voxel's mask pixels make the {@code |M_v|} part of the union {@code |M_v| + |L_c| - |M_v AND L_c|}
   * for a concept of category k.
   */
  public enum UnitArea {
    /**
     * The mask pixels in every image where category k is annotated (Bau et al.; docs/method.md §5): an image whose
     * annotation has category k counts all its mask pixels, whether or not they meet a concept of k.
     */
    ANNOTATED_IMAGES,
    /**
     * NetDissect-Lite's {@code tally_job} as written: an image counts its mask pixels for category k only when the
     * mask covers a pixel labelled with a concept of k, or the image has an image-level concept of k.
     */
    MATCHED_IMAGES
  }

  private final double quantile;
  private final double iouThreshold;
  private final UnitArea unitArea;

  private NetDissection(double quantile, double iouThreshold, UnitArea unitArea) {
    this.quantile = quantile;
    this.iouThreshold = iouThreshold;
    this.unitArea = unitArea;
  }

  /** Quantile 0.005, IoU threshold 0.04, {@link UnitArea#ANNOTATED_IMAGES}. */
  public static NetDissection defaults() {
    return new NetDissection(DEFAULT_QUANTILE, DEFAULT_IOU_THRESHOLD, UnitArea.ANNOTATED_IMAGES);
  }

  /** The top fraction of map values above the threshold, in (0, 1). */
  public NetDissection withQuantile(double q) {
    return new NetDissection(checkQuantile(q), iouThreshold, unitArea);
  }

  public NetDissection withIouThreshold(double t) {
    InvalidParameterException.require(t >= 0 && t <= 1, "iouThreshold",
        "expected an IoU between 0 and 1, got " + t);
    return new NetDissection(quantile, t, unitArea);
  }

  public NetDissection withUnitArea(UnitArea a) {
    return new NetDissection(quantile, iouThreshold, Objects.requireNonNull(a, "unitArea"));
  }

  static double checkQuantile(double q) {
    InvalidParameterException.require(q > 0 && q < 1, "quantile",
        "expected a fraction strictly between 0 and 1, got " + q);
    return q;
  }

  public double quantile() {
    return quantile;
  }

  public double iouThreshold() {
    return iouThreshold;
  }

  public UnitArea unitArea() {
    return unitArea;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetDissection d && d.quantile == quantile && d.iouThreshold == iouThreshold
        && d.unitArea == unitArea;
  }

  @Override
  public int hashCode() {
    return Objects.hash(quantile, iouThreshold, unitArea);
  }

  @Override
  public String toString() {
    return "NetDissection(quantile " + quantile + ", iouThreshold " + iouThreshold + ", " + unitArea + ")";
  }
}
