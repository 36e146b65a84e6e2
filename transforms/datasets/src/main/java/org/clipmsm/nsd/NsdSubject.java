package org.clipmsm.nsd;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.NiftiHeader;
import org.clipmsm.nsd.NsdBetasHdf5;

/**
 * One NSD subject as it lies under a dataset root (docs/datasets.md §1): the 1.8 mm functional space's ROI files, the
 * single-trial beta sessions (HDF5 {@code betas_sessionNN.hdf5} or NIfTI {@code .nii.gz}; sessions 1..K found on
 * disk, a gap is an error), the design for those sessions, and the voxels of the chosen ROIs (their union, each
 * voxel's label in every ROI kept). Checked on construction: everything is on one grid.
 */
public final class NsdSubject implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String root;
  private final int subject;
  private final List<String> sessionFiles;
  private final boolean hdf5;
  private final long[] grid;
  private final NsdDesign design;
  private final NsdRois.Union rois;

  private NsdSubject(String root, int subject, List<String> sessionFiles, boolean hdf5, long[] grid,
      NsdDesign design, NsdRois.Union rois) {
    this.root = root;
    this.subject = subject;
    this.sessionFiles = sessionFiles;
    this.hdf5 = hdf5;
    this.grid = grid;
    this.design = design;
    this.rois = rois;
  }

  public static Path funcDir(Path root, int subject) {
    return root.resolve(String.format("nsddata/ppdata/subj%02d/func1pt8mm", subject));
  }

  public static Path betasDir(Path root, int subject) {
    return root.resolve(String.format("nsddata_betas/ppdata/subj%02d/func1pt8mm/betas_fithrf_GLMdenoise_RR", subject));
  }

  /**
   * @param roiNames NSD ROI files under {@code roi/} (e.g. floc-faces); each also may be a path to a user mask
   *     (e.g. the food region, not in NSD), named by its file
   */
  public static NsdSubject open(Path root, int subject, List<String> roiNames) {
    if (subject < 1 || subject > NsdDesign.SUBJECTS) {
      throw new InvalidParameterException("subject", "expected 1..8, got " + subject);
    }
    Path betasDir = betasDir(root, subject);
    if (!Files.isDirectory(betasDir)) {
      throw new InvalidInputException(betasDir + ": no such directory (expected the subject's betas under"
          + " the NSD root)");
    }
    List<String> files = new ArrayList<>();
    boolean hdf5 = Files.exists(betasDir.resolve("betas_session01.hdf5"));
    for (int s = 1; s <= NsdDesign.MAX_SESSIONS; s++) {
      Path f = betasDir.resolve(String.format("betas_session%02d.%s", s, hdf5 ? "hdf5" : "nii.gz"));
      if (Files.exists(f)) {
        if (files.size() != s - 1) {
          throw new InvalidInputException(f + ": found, but session " + (files.size() + 1) + " is missing (expected"
              + " sessions 1..N without gaps)");
        }
        files.add(f.toString());
      }
    }
    if (files.isEmpty()) {
      throw new InvalidInputException(betasDir + ": no betas_session01.hdf5 or betas_session01.nii.gz");
    }
    long[] grid = hdf5 ? hdf5Grid(Path.of(files.get(0))) : Arrays.copyOf(Nifti.readHeader(Path.of(files.get(0))).dims(), 3);
    Path designDir = root.resolve("nsddata/experiments/nsd");
    Path mat = designDir.resolve("nsd_expdesign.mat");
    NsdDesign design = Files.exists(mat) ? NsdDesign.fromExpDesignMat(mat, subject, files.size())
        : NsdDesign.fromStimInfoCsv(designDir.resolve("nsd_stim_info_merged.csv"), subject, files.size());
    Map<String, int[]> labels = new LinkedHashMap<>();
    Path roiDir = funcDir(root, subject).resolve("roi");
    for (String name : roiNames) {
      Path f = name.contains("/") || name.endsWith(".nii") || name.endsWith(".nii.gz") ? Path.of(name)
          : roiDir.resolve(name + ".nii.gz");
      NiftiHeader h = Nifti.readHeader(f);
      if (!Arrays.equals(Arrays.copyOf(h.dims(), Math.min(3, h.dims().length)), grid)) {
        throw new InvalidInputException(f + ": grid " + Arrays.toString(h.dims()) + ", but the betas are on "
            + Arrays.toString(grid) + " (expected a mask on the betas' grid)");
      }
      double[] v = Nifti.readData(f);
      int[] codes = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        codes[i] = (int) Math.round(v[i]);
      }
      String key = f.getFileName().toString().replaceAll("\\.nii(\\.gz)?$", "");
      labels.put(key, codes);
    }
    return new NsdSubject(root.toString(), subject, files, hdf5, grid, design, NsdRois.union(labels));
  }

  private static long[] hdf5Grid(Path f) {
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(f)) {
      return b.gridXYZ();
    }
  }

  public int subject() {
    return subject;
  }

  public int sessions() {
    return sessionFiles.size();
  }

  public List<Path> sessionFiles() {
    return sessionFiles.stream().map(Path::of).toList();
  }

  public boolean isHdf5() {
    return hdf5;
  }

  public long[] grid() {
    return grid.clone();
  }

  public NsdDesign design() {
    return design;
  }

  public NsdRois.Union rois() {
    return rois;
  }

  public Path root() {
    return Path.of(root);
  }

  /** Bytes of beta data on disk (for throughput figures). */
  public long betaBytes() {
    long n = 0;
    for (Path f : sessionFiles()) {
      try {
        n += Files.size(f);
      } catch (IOException e) {
        throw new InvalidInputException(f + ": cannot read (" + e.getMessage() + ")", e);
      }
    }
    return n;
  }
}
