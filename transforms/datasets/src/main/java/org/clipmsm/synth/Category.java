package org.clipmsm.synth;

/** The five fLoc categories of the CLIP-MSM paper, in the order used by every array of planted truth. */
public enum Category {
  FACES, BODIES, PLACES, WORDS, FOOD;

  /** The label as the paper writes it (and as a label file lists it). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
