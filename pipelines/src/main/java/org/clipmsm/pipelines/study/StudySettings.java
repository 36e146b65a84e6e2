package org.clipmsm.pipelines.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.embed.ModelRef;

/**
 * A whole study on NSD or NOD ({@link Study}): several subjects through every stage, from the dataset's files to the
 * evaluation and the report.
 *
 * @param dataset NSD or NOD, and how its subjects are read
 * @param root the dataset root
 * @param subjects the subjects' numbers (NSD 1..8, NOD 1..30), in the order given
 * @param labels the dissection's label set, one a line
 * @param model the CLIP model: embeds images and labels, and its encoding models are dissected
 * @param featureModels further image encoders whose encoding models are compared with the CLIP model's (Fig. 2)
 * @param broden a Broden probe set for the Network Dissection baseline, or null for none
 * @param rois NSD: the ROIs to prepare (ROI names under the subject's roi/ or paths of masks); NOD: unused
 * @param learningPieces training sizes of the learning curve (fit's trainPieces, 5..34), empty for none
 * @param out the study's result directory
 * @param voxelsPerBlock voxels per unit of parallel work of the fits and the dissection
 */
public record StudySettings(StudyDataset dataset, Path root, List<Integer> subjects, Path labels, ModelRef model,
    List<ModelRef> featureModels, Path broden, List<String> rois, List<Integer> learningPieces, Path out,
    int voxelsPerBlock) {
  /** The learning curve's range: fit's training pieces of 40, the last 6 being the test set. */
  public static final int MIN_PIECES = 5;
  public static final int MAX_PIECES = 34;

  public StudySettings {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(out, "out");
    subjects = List.copyOf(subjects);
    featureModels = List.copyOf(featureModels);
    rois = List.copyOf(rois);
    learningPieces = List.copyOf(learningPieces);
    InvalidParameterException.require(!subjects.isEmpty(), "subjects", "expected at least one subject");
    InvalidParameterException.require(subjects.stream().distinct().count() == subjects.size(), "subjects",
        "expected each subject once, got " + subjects);
    for (int n : subjects) {
      dataset.checkSubject(n);
    }
    for (int pieces : learningPieces) {
      InvalidParameterException.require(pieces >= MIN_PIECES && pieces <= MAX_PIECES, "learningPieces",
          "expected training pieces in " + MIN_PIECES + ".." + MAX_PIECES + ", got " + pieces);
    }
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
  }

  /** The study with the dataset's default ROIs, no further feature model, no Broden set, no learning curve. */
  public static StudySettings of(StudyDataset dataset, Path root, List<Integer> subjects, Path labels, ModelRef model,
      Path out) {
    return new StudySettings(dataset, root, subjects, labels, model, List.of(), null, dataset.defaultRois(),
        List.of(), out, ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK);
  }

  public StudySettings withFeatureModels(List<ModelRef> m) {
    return new StudySettings(dataset, root, subjects, labels, model, m, broden, rois, learningPieces, out,
        voxelsPerBlock);
  }

  public StudySettings withBroden(Path b) {
    return new StudySettings(dataset, root, subjects, labels, model, featureModels, b, rois, learningPieces, out,
        voxelsPerBlock);
  }

  public StudySettings withRois(List<String> r) {
    return new StudySettings(dataset, root, subjects, labels, model, featureModels, broden, r, learningPieces, out,
        voxelsPerBlock);
  }

  public StudySettings withLearningPieces(List<Integer> p) {
    return new StudySettings(dataset, root, subjects, labels, model, featureModels, broden, rois, p, out,
        voxelsPerBlock);
  }

  public StudySettings withVoxelsPerBlock(int n) {
    return new StudySettings(dataset, root, subjects, labels, model, featureModels, broden, rois, learningPieces, out,
        n);
  }
}
