package org.clipmsm.netdissect;

import java.io.Serializable;
import org.clipmsm.InvalidParameterException;

/**
 * The trailing shape of the dense features {@code (n, height, width, features)} that {@code embed --dense} writes:
 * each probe image has {@code height x width} positions, each with a {@code features}-vector in the space of the
 * encoding model's weights. Activation maps have the same {@code height x width}.
 */
public record MapGeometry(int height, int width, int features) implements Serializable {
  public MapGeometry {
    InvalidParameterException.require(height > 0 && width > 0, "height/width",
        "expected a positive map size, got " + height + " x " + width);
    InvalidParameterException.require(features > 0, "features", "expected a positive number, got " + features);
    InvalidParameterException.require((long) height * width * features <= Integer.MAX_VALUE, "height/width/features",
        "one image's " + height + " x " + width + " x " + features + " values exceed 2^31 - 1");
  }

  /** Positions per image, {@code height * width}. */
  public int positions() {
    return height * width;
  }

  /** Float values of {@code images} images in the dense array. */
  public long values(long images) {
    return images * positions() * features;
  }
}
