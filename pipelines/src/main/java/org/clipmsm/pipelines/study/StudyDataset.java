package org.clipmsm.pipelines.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.pipelines.PrepareNodPipeline;
import org.clipmsm.pipelines.PrepareNodSettings;
import org.clipmsm.pipelines.PrepareNsdPipeline;
import org.clipmsm.pipelines.PrepareNsdSettings;
import org.clipmsm.beam.Progress;
import org.clipmsm.pipelines.StagedPipeline;
import org.clipmsm.stimuli.ImageRef;
import org.clipmsm.stimuli.ImageSources;

/**
 * What differs between NSD and NOD in a {@link Study}: how a subject is named, prepared and placed in space, how its
 * images are keyed, and where the stimuli are (docs/datasets.md §1-2).
 */
public enum StudyDataset {
  NSD {
    @Override
    void checkSubject(int n) {
      InvalidParameterException.require(n >= 1 && n <= 8, "subjects", "NSD has subjects 1..8, got " + n);
    }

    @Override
    List<String> defaultRois() {
      return PrepareNsdSettings.FLOC_ROIS;
    }

    @Override
    public String subjectDir(int n) {
      return String.format("subj%02d", n);
    }

    @Override
    StagedPipeline<?, ?> prepare(StudySettings s, int subject, Path out, Progress progress) {
      // A mask path may name its subject's own file: {subject} stands for subjNN (e.g. masks/{subject}/food.nii.gz).
      List<String> rois = s.rois().stream().map(r -> r.replace(SUBJECT, subjectDir(subject))).toList();
      return PrepareNsdPipeline.of(PrepareNsdSettings.of(s.root(), out).withSubject(subject).withRois(rois))
          .withProgress(progress);
    }

    @Override
    String imageKeyColumn() {
      return "nsdId";
    }

    @Override
    List<ImageRef> stimuli(Path root, Set<String> keys) {
      // Every stimulus of nsd_stimuli.hdf5 is keyed by its nsdId; only the subjects' images are embedded.
      return ImageSources.list(root).stream().filter(r -> keys.contains(r.key())).toList();
    }

    @Override
    Path space(Path root, int subject) {
      return root.resolve("nsddata/ppdata").resolve(subjectDir(subject)).resolve("func1pt8mm/brainmask.nii.gz");
    }

    @Override
    String spaceName() {
      return "space.nii.gz";
    }

    @Override
    boolean hasNcsnr() {
      return true;
    }
  },
  NOD {
    @Override
    void checkSubject(int n) {
      InvalidParameterException.require(n >= 1 && n <= 30, "subjects", "NOD has subjects 1..30, got " + n);
    }

    @Override
    List<String> defaultRois() {
      return List.of();
    }

    @Override
    public String subjectDir(int n) {
      return String.format("sub-%02d", n);
    }

    @Override
    StagedPipeline<?, ?> prepare(StudySettings s, int subject, Path out, Progress progress) {
      return PrepareNodPipeline.of(PrepareNodSettings.of(s.root(), subject, out)).withProgress(progress);
    }

    @Override
    String imageKeyColumn() {
      return "stimulus";
    }

    @Override
    List<ImageRef> stimuli(Path root, Set<String> keys) {
      // NOD keys a stimulus by its file name, found anywhere under stimuli/ (as prepare nod and embed --events do).
      return ImageSources.named(root.resolve("stimuli"), keys);
    }

    @Override
    Path space(Path root, int subject) {
      return root.resolve("derivatives/ciftify").resolve(subjectDir(subject))
          .resolve("results/ses-floc_task-floc/floc-faces.dlabel.nii");
    }

    @Override
    String spaceName() {
      return "space.dlabel.nii";
    }

    @Override
    boolean hasNcsnr() {
      return false;
    }
  };

  /** In an ROI path, stands for the subject's directory name. */
  public static final String SUBJECT = "{subject}";

  abstract void checkSubject(int n);

  abstract List<String> defaultRois();

  /** The subject's directory in the study (and the dataset's own name for it). */
  public abstract String subjectDir(int n);

  abstract StagedPipeline<?, ?> prepare(StudySettings s, int subject, Path out, Progress progress);

  /** The column of prepare's image_keys.csv that keys a row's image as the stimuli are keyed. */
  abstract String imageKeyColumn();

  /** The stimuli with these keys, keyed as {@link #imageKeyColumn()}. */
  abstract List<ImageRef> stimuli(Path root, Set<String> keys);

  /** A file of the subject's space, for the brain maps (map's --like). */
  abstract Path space(Path root, int subject);

  /** Its name in the study directory (docs/evaluation.md §1). */
  abstract String spaceName();

  /** Whether prepare writes ncsnr.npy, so that fits get a noise ceiling. */
  abstract boolean hasNcsnr();
}
