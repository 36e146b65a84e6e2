package org.clipmsm.nod;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;
import org.clipmsm.nsd.NsdRois;

/**
 * One NOD subject as it lies under a dataset root: its ImageNet and COCO runs (discovered), the union of the fLoc
 * ROIs ({@code floc-<category>.dlabel.nii}: a grayordinate is in an ROI where its label key is positive, the paper's
 * voxel mask), and the brain models of the betas (every run on the same grayordinates, checked).
 */
public final class NodSubject implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final List<String> FLOC = List.of("faces", "bodies", "places", "words");

  private final String root;
  private final int subject;
  private final List<NodRun> imagenet;
  private final List<NodRun> coco;
  private final NsdRois.Union rois;
  private final int grayordinates;

  private NodSubject(String root, int subject, List<NodRun> imagenet, List<NodRun> coco, NsdRois.Union rois,
      int grayordinates) {
    this.root = root;
    this.subject = subject;
    this.imagenet = imagenet;
    this.coco = coco;
    this.rois = rois;
    this.grayordinates = grayordinates;
  }

  public static NodSubject open(Path root, int subject) {
    NodLayout layout = NodLayout.of(root, subject);
    List<NodRun> imagenet = layout.runs("imagenet");
    List<NodRun> coco = layout.runsIfAny("coco");
    CiftiXml first = Cifti.readXml(imagenet.get(0).betas());
    int gray = first.grayordinates();
    Map<String, int[]> labels = new LinkedHashMap<>();
    for (String c : FLOC) {
      Path f = layout.flocRoi(c);
      if (!Files.exists(f)) {
        continue;
      }
      Cifti.Dense d = Cifti.read(f);
      if (d.grayordinates() != gray) {
        throw new InvalidInputException(f + ": " + d.grayordinates() + " grayordinates, but the betas have " + gray
            + " (expected the betas' brain models)");
      }
      int[] keys = new int[gray];
      for (int g = 0; g < gray; g++) {
        keys[g] = (int) Math.round(d.data()[d.maps() * g]);
      }
      labels.put("floc-" + c, keys);
    }
    if (labels.isEmpty()) {
      throw new InvalidInputException(layout.flocRoi("faces").getParent() + ": no floc-<category>.dlabel.nii"
          + " (expected NOD's fLoc ROIs)");
    }
    return new NodSubject(root.toString(), subject, imagenet, coco, NsdRois.union(labels), gray);
  }

  public int subject() {
    return subject;
  }

  public List<NodRun> imagenetRuns() {
    return imagenet;
  }

  public List<NodRun> cocoRuns() {
    return coco;
  }

  public NsdRois.Union rois() {
    return rois;
  }

  public int grayordinates() {
    return grayordinates;
  }

  public Path root() {
    return Path.of(root);
  }

  /** The stimuli of a run's maps: its label file, else its BIDS events (raw data tree). */
  public List<String> stimuli(NodRun run, int maps) {
    if (Files.exists(run.labels())) {
      return NodLabels.read(run.labels(), maps);
    }
    Path events = root().resolve(String.format("sub-%02d/ses-%s/func/sub-%02d_ses-%s_task-%s_run-%02d_events.tsv",
        subject, run.session(), subject, run.session(), run.task(), run.run()));
    if (!Files.exists(events)) {
      throw new InvalidInputException(run.labels() + ": missing, and so is " + events + " (expected the stimulus of"
          + " each map)");
    }
    List<String> s = NodEvents.stimuli(events);
    if (s.size() != maps) {
      throw new InvalidInputException(events + ": " + s.size() + " stimulus trials, but the betas have " + maps
          + " maps");
    }
    return s;
  }

  /** Every run, ImageNet then COCO. */
  public List<NodRun> runs() {
    List<NodRun> all = new ArrayList<>(imagenet);
    all.addAll(coco);
    return all;
  }
}
