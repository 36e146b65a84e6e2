package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.nsd.NsdBetasHdf5;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.nsd.NsdDesign;
import org.clipmsm.nsd.NsdPrepare;
import org.clipmsm.nsd.NsdSubject;
import org.clipmsm.nsd.NsdTrial;
import org.clipmsm.nsd.ResponsePreprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preparing a synthetic NSD subject (two sessions, ragged) against a direct computation. */
class NsdPrepareTest {
  @TempDir
  static Path tmp;
  static Path root;
  static final List<String> ROIS = List.of("floc-faces", "floc-bodies", "floc-places", "floc-words");

  @BeforeAll
  static void generate() {
    root = tmp.resolve("nsd");
    // 500 images fill two sessions; writing one of them leaves some images with fewer than 3 repetitions.
    NsdSynth.write(root, new NsdSynth.Spec(3, 1, 500, 1, 100, new int[] {10, 12, 8}, 16));
  }

  @Test
  void blockEqualsADirectZScoreAndAverage() {
    NsdSubject s = NsdSubject.open(root, 1, ROIS);
    int[] voxels = s.rois().voxels();
    assertTrue(voxels.length >= 60, "ROI voxels " + voxels.length);
    int[] some = {voxels[0], voxels[7], voxels[voxels.length - 1]};
    Matrix got = NsdPrepare.block(s, some, ResponsePreprocessing.ZScore.SESSION);
    NsdDesign design = NsdDesign.fromStimInfoCsv(root.resolve("nsddata/experiments/nsd/nsd_stim_info_merged.csv"),
        1, 1);
    List<NsdTrial> trials = design.trials();
    int[] images = design.images();
    assertEquals(images.length, got.rows());
    double[] raw;
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(s.sessionFiles().get(0))) {
      raw = b.readVoxels(some);
    }
    int ragged = 0;
    for (int v = 0; v < some.length; v++) {
      double mean = 0;
      for (int t = 0; t < 750; t++) {
        mean += raw[t + 750 * v] / 750;
      }
      double var = 0;
      for (int t = 0; t < 750; t++) {
        var += (raw[t + 750 * v] - mean) * (raw[t + 750 * v] - mean) / 750;
      }
      double sd = Math.sqrt(var);
      for (int i = 0; i < images.length; i++) {
        double sum = 0;
        int count = 0;
        for (NsdTrial t : trials) {
          if (t.nsdId() == images[i]) {
            sum += (raw[t.trial() + 750 * v] - mean) / sd;
            count++;
          }
        }
        ragged += v == 0 && count < 3 ? 1 : 0;
        assertEquals(sum / count, got.get(i, v), 1e-9, "image " + images[i] + ", voxel " + some[v]);
      }
    }
    assertTrue(ragged > 0, "a ragged subject has images with fewer than 3 repetitions");
  }

  /** The same seed written as NIfTI betas: the NIfTI reader gives exactly what the HDF5 reader gives. */
  @Test
  void niftiBetasPrepareLikeHdf5Betas() {
    Path nifti = tmp.resolve("nsd-nifti");
    NsdSynth.write(nifti, new NsdSynth.Spec(3, 1, 500, 1, 100, new int[] {10, 12, 8}, 16).withNiftiBetas());
    assertTrue(Files.exists(NsdSubject.betasDir(nifti, 1).resolve("betas_session01.nii.gz")));
    NsdSubject a = NsdSubject.open(root, 1, ROIS);
    NsdSubject b = NsdSubject.open(nifti, 1, ROIS);
    assertTrue(a.isHdf5() && !b.isHdf5());
    int[] voxels = a.rois().voxels();
    for (ResponsePreprocessing.ZScore mode : ResponsePreprocessing.ZScore.values()) {
      assertArrayEquals(NsdPrepare.block(a, voxels, mode).data(), NsdPrepare.block(b, voxels, mode).data(), 0);
    }
  }

  @Test
  void aMaskOnAnotherGridAndMissingSessionsAreRejected() throws Exception {
    Path other = tmp.resolve("other");
    NsdSynth.write(other, new NsdSynth.Spec(4, 1, 250, 1, 40, new int[] {9, 9, 9}, 8));
    Path foreign = other.resolve("nsddata/ppdata/subj01/func1pt8mm/roi/floc-faces.nii.gz");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> NsdSubject.open(root, 1, List.of("floc-words", foreign.toString())));
    assertTrue(e.getMessage().contains("floc-faces.nii.gz: grid"), e.getMessage());
    assertTrue(e.getMessage().contains("expected a mask on the betas' grid"), e.getMessage());
    Path betas = NsdSubject.betasDir(root, 1);
    Files.copy(betas.resolve("betas_session01.hdf5"), betas.resolve("betas_session03.hdf5"));
    try {
      e = assertThrows(InvalidInputException.class, () -> NsdSubject.open(root, 1, ROIS));
      assertTrue(e.getMessage().contains("session 2 is missing"), e.getMessage());
    } finally {
      Files.delete(betas.resolve("betas_session03.hdf5"));
    }
  }
}
