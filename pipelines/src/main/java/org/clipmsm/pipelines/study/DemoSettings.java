package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.embed.ModelRef;

/**
 * The demo ({@link DemoStudy}): the whole method on a synthetic NSD subject with a planted answer.
 *
 * @param out the result directory
 * @param seed of the synthetic subject
 * @param images stimuli, a multiple of 250 (NSD sessions of 750 trials, each image shown 3 times)
 * @param voxels ROI voxels
 * @param imageSize stimulus side in pixels
 * @param model the CLIP model that embeds images and labels
 */
public record DemoSettings(Path out, long seed, int images, int voxels, int imageSize, ModelRef model) {
  public static final DemoSettings DEFAULTS = new DemoSettings(Path.of("demo-out"), 1, 1000, 500, 96,
      ModelRef.of(ModelRef.TINY_CLIP));

  public DemoSettings {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(model, "model");
    InvalidParameterException.require(images > 0 && images % 250 == 0, "images", "expected a multiple of 250 (NSD"
        + " sessions of 750 trials), got " + images);
  }

  public DemoSettings withOut(Path dir) {
    return new DemoSettings(dir, seed, images, voxels, imageSize, model);
  }

  public DemoSettings withSeed(long s) {
    return new DemoSettings(out, s, images, voxels, imageSize, model);
  }

  public DemoSettings withImages(int n) {
    return new DemoSettings(out, seed, n, voxels, imageSize, model);
  }

  public DemoSettings withVoxels(int n) {
    return new DemoSettings(out, seed, images, n, imageSize, model);
  }

  public DemoSettings withImageSize(int px) {
    return new DemoSettings(out, seed, images, voxels, px, model);
  }

  public DemoSettings withModel(ModelRef m) {
    return new DemoSettings(out, seed, images, voxels, imageSize, m);
  }
}
