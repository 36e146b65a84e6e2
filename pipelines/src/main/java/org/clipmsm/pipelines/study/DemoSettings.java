package org.clipmsm.pipelines.study;

import java.nio.file.Path;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.embed.ModelRef;

/**
 * The demo ({@link DemoStudy}): the nsd study on synthetic NSD subjects with a planted answer, in both tuning regimes.
 *
 * @param out the result directory
 * @param seed of the synthetic subjects
 * @param subjects how many subjects (NSD has 8)
 * @param images stimuli, a multiple of 250 (NSD sessions of 750 trials, each image shown 3 times)
 * @param voxels ROI voxels per subject
 * @param imageSize stimulus side in pixels
 * @param model the CLIP model that embeds images and labels
 */
public record DemoSettings(Path out, long seed, int subjects, int images, int voxels, int imageSize, ModelRef model) {
  public static final DemoSettings DEFAULTS = new DemoSettings(Path.of("demo-out"), 1, 8, 1000, 500, 96,
      ModelRef.of(ModelRef.TINY_CLIP));

  public DemoSettings {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(model, "model");
    InvalidParameterException.require(subjects >= 1 && subjects <= 8, "subjects", "expected 1..8 subjects (NSD has"
        + " 8), got " + subjects);
    InvalidParameterException.require(images > 0 && images % 250 == 0, "images", "expected a multiple of 250 (NSD"
        + " sessions of 750 trials), got " + images);
  }
}
