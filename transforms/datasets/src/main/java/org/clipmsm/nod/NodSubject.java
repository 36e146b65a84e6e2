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
import org.clipmsm.io.Nifti;
import org.clipmsm.io.NiftiHeader;
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
  /** Maps per run, by beta file: read once when the subject is opened. */
  private final Map<String, Integer> maps;

  private NodSubject(String root, int subject, List<NodRun> imagenet, List<NodRun> coco, NsdRois.Union rois,
      int grayordinates, Map<String, Integer> maps) {
    this.maps = maps;
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
    Map<String, Integer> maps = new java.util.HashMap<>();
    for (NodRun r : imagenet) {
      maps.put(r.betasFile(), checkRun(r, gray));
    }
    for (NodRun r : coco) {
      maps.put(r.betasFile(), checkRun(r, gray));
    }
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
    return new NodSubject(root.toString(), subject, imagenet, coco, NsdRois.union(labels), gray, maps);
  }

  /**
   * A run's betas on the subject's grayordinates and, uncompressed, as long as their header says: checked up front.
   * Returns the run's map count.
   */
  private static int checkRun(NodRun r, int gray) {
    NiftiHeader h = Nifti.readHeader(r.betas());
    CiftiXml xml = Cifti.xml(h, r.betas());
    if (xml.grayordinates() != gray) {
      throw new InvalidInputException(r.betas() + ": " + xml.grayordinates() + " grayordinates, but the subject's"
          + " other runs have " + gray);
    }
    if (!r.betas().toString().endsWith(".gz")) {
      long need = h.voxOffset() + h.dataBytes();
      long have;
      try {
        have = Files.size(r.betas());
      } catch (java.io.IOException e) {
        throw new InvalidInputException(r.betas() + ": cannot read (" + e.getMessage() + ")", e);
      }
      if (have < need) {
        throw new InvalidInputException(r.betas() + ": truncated (" + have + " bytes, the header promises " + need
            + ")");
      }
    }
    return xml.mapCount();
  }

  /** The number of maps (trials, or COCO images) of one of the subject's runs. */
  public int maps(NodRun run) {
    Integer m = maps.get(run.betasFile());
    if (m == null) {
      throw new IllegalArgumentException(run.betas() + " is not a run of this subject");
    }
    return m;
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

  /**
   * The stimuli of a run's maps: its label file, else its BIDS events (raw data tree; for COCO the run's images
   * sorted by file name, the order of its maps).
   */
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
    if (run.task().equals("coco")) {
      // COCO betas hold one map per image in sorted file-name order, not in presentation order (docs/datasets.md §2).
      s = s.stream().distinct().sorted().toList();
    }
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
