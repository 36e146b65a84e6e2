package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.Npy;
import org.clipmsm.nsd.NsdBetasHdf5;
import org.clipmsm.nsd.NsdStimuliHdf5;
import org.clipmsm.nsd.NsdDesign;
import org.clipmsm.nsd.NsdTrial;
import org.clipmsm.nsd.ResponsePreprocessing;
import org.clipmsm.stats.Ncsnr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A synthetic NSD subject read back with the NSD readers, against its planted truth. */
class NsdSynthTest {
  @TempDir
  static Path tmp;
  static Path root;
  static final String FUNC = "nsddata/ppdata/subj01/func1pt8mm/";
  static final String BETAS = "nsddata_betas/ppdata/subj01/func1pt8mm/betas_fithrf_GLMdenoise_RR/";

  @BeforeAll
  static void generate() {
    root = tmp.resolve("a");
    NsdSynth.write(root, NsdSynth.Spec.small(11));
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  @Test
  void layoutIsNsdsAndTheSameSeedGivesTheSameBytes() throws Exception {
    Path again = tmp.resolve("b");
    NsdSynth.write(again, NsdSynth.Spec.small(11));
    List<Path> a = files(root);
    assertEquals(a, files(again));
    for (Path p : a) {
      assertArrayEquals(Files.readAllBytes(root.resolve(p)), Files.readAllBytes(again.resolve(p)), p.toString());
    }
    for (String f : new String[] {"nsddata/experiments/nsd/nsd_expdesign.mat",
        "nsddata/experiments/nsd/nsd_stim_info_merged.csv", "nsddata_stimuli/stimuli/nsd/nsd_stimuli.hdf5",
        BETAS + "betas_session01.hdf5", BETAS + "ncsnr.nii.gz", FUNC + "brainmask.nii.gz",
        FUNC + "roi/floc-faces.nii.gz", FUNC + "roi/floc-words.nii.gz", FUNC + "floc_facestval.nii.gz",
        "truth/tuning.npy", "truth/content.npy"}) {
      assertTrue(Files.isRegularFile(root.resolve(f)), f);
    }
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(root.resolve(BETAS + "betas_session01.hdf5"))) {
      assertEquals(750, b.trials());
      assertArrayEquals(new long[] {12, 14, 10}, b.gridXYZ());
    }
    try (NsdStimuliHdf5 s = NsdStimuliHdf5.open(root.resolve("nsddata_stimuli/stimuli/nsd/nsd_stimuli.hdf5"))) {
      assertEquals(250, s.images());
    }
    assertArrayEquals(new long[] {12, 14, 10}, Nifti.readHeader(root.resolve(FUNC + "roi/floc-faces.nii.gz")).dims());
  }

  @Test
  void bothDesignFilesGiveTheSameTrials() {
    NsdDesign mat = NsdDesign.fromExpDesignMat(root.resolve("nsddata/experiments/nsd/nsd_expdesign.mat"), 1, 1);
    NsdDesign csv = NsdDesign.fromStimInfoCsv(root.resolve("nsddata/experiments/nsd/nsd_stim_info_merged.csv"), 1, 1);
    assertEquals(mat.trials(), csv.trials());
    assertEquals(250, mat.images().length);
    for (int id : mat.images()) {
      assertEquals(3, mat.repetitions(id));
    }
  }

  /** DOMINANT regime: each ROI is one category's cluster (the CORTEX rule: TuningRegimeTest). */
  @Test
  void roiLabelsFollowThePlantedCategories() {
    Path root = tmp.resolve("dominant");
    NsdSynth.write(root, NsdSynth.Spec.small(11).withRegime(TuningRegime.DOMINANT));
    long[] voxels = Npy.readLongVector(root.resolve("truth/voxels.npy"));
    double[] tuning = Npy.readMatrix(root.resolve("truth/tuning.npy"));
    int v = voxels.length;
    String[] rois = {"floc-faces", "floc-bodies", "floc-places", "floc-words", "food"};
    for (int c = 0; c < rois.length; c++) {
      double[] labels = Nifti.readData(root.resolve(c == 4 ? "masks/food.nii.gz" : FUNC + "roi/" + rois[c] + ".nii.gz"));
      for (int q = 0; q < v; q++) {
        int argmax = 0;
        for (int o = 1; o < 5; o++) {
          argmax = tuning[q + v * o] > tuning[q + v * argmax] ? o : argmax;
        }
        // A voxel is in ROI c exactly when its planted tuning is dominated by category c.
        assertEquals(argmax == c, labels[(int) voxels[q]] > 0, rois[c] + " voxel " + voxels[q]);
      }
    }
  }

  @Test
  void ncsnrRecoveredFromTheBetasMatchesThePlantedNoise() throws Exception {
    long[] voxels = Npy.readLongVector(root.resolve("truth/voxels.npy"));
    double[] planted = Npy.readVector(root.resolve("truth/ncsnr.npy"));
    int[] vox = java.util.Arrays.stream(voxels).mapToInt(x -> (int) x).toArray();
    double[] betas;
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(root.resolve(BETAS + "betas_session01.hdf5"))) {
      betas = b.readVoxels(vox);
    }
    NsdDesign design = NsdDesign.fromExpDesignMat(root.resolve("nsddata/experiments/nsd/nsd_expdesign.mat"), 1, 1);
    List<NsdTrial> trials = design.trials();
    ResponsePreprocessing.zScore(betas, vox.length, trials, ResponsePreprocessing.ZScore.SESSION);
    int[] imageOfTrial = trials.stream().mapToInt(NsdTrial::nsdId).toArray();
    double[] est = Ncsnr.compute(betas, vox.length, imageOfTrial, 3);
    // Stated tolerance: with 250 images x 3 trials the noise variance has 500 degrees of freedom, so ncsnr is
    // recovered to a few percent; int16 storage (1/300 %) adds nothing visible. Median relative error < 8%.
    double[] rel = new double[vox.length];
    for (int q = 0; q < vox.length; q++) {
      rel[q] = Math.abs(est[q] - planted[q]) / planted[q];
    }
    java.util.Arrays.sort(rel);
    assertTrue(rel[rel.length / 2] < 0.08, "median relative error " + rel[rel.length / 2]);
    assertTrue(rel[rel.length * 9 / 10] < 0.2, "90th percentile relative error " + rel[rel.length * 9 / 10]);
  }

  @Test
  void sizesThatNsdCannotHoldAreRejected() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new NsdSynth.Spec(1, 1, 300, 1, 100, new int[] {12, 14, 10}, 32));
    assertTrue(e.getMessage().startsWith("images: expected a multiple of 250"), e.getMessage());
    e = assertThrows(InvalidInputException.class,
        () -> new NsdSynth.Spec(1, 1, 250, 2, 100, new int[] {12, 14, 10}, 32));
    assertTrue(e.getMessage().startsWith("sessions: expected 1..1"), e.getMessage());
  }
}
