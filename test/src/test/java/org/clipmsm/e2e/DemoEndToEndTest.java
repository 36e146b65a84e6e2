package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.io.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, smaller: the whole method on a synthetic NSD subject through the real path (tiny-CLIP
 * embeddings of the drawn stimuli, ridge fit, SoftWPMI dissection). The planted tuning must come back: each label's
 * CLIP-MSM map correlates with it across voxels, at least as well as the CLIP-Dissect one-hot.
 */
class DemoEndToEndTest {
  @TempDir
  Path tmp;

  @Test
  void wholeMethodRecoversThePlantedTuning() throws Exception {
    Path out = tmp.resolve("demo");
    Cli run = Cli.run("demo", "--out", out.toString(), "--images", "500", "--voxels", "200", "--image-size", "64");
    assertEquals(0, run.status, run.toString());
    List<String> rows = Files.readAllLines(out.resolve("comparison.csv"));
    assertEquals("label,r_msm,r_onehot,r_msm_T3,r_msm_T10,r_msm_T30", rows.get(0));
    assertEquals(6, rows.size());
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",");
      double msm = Double.parseDouble(f[1]);
      double oneHot = Double.parseDouble(f[2]);
      assertTrue(msm > 0.8, row);
      assertTrue(msm >= oneHot - 1e-3, row);
      assertTrue(Double.parseDouble(f[3]) > 0.8, row); // graded maps still track the tuning
    }
    long[] dims = Nifti.readHeader(out.resolve("msm.nii.gz")).dims();
    assertEquals(5, dims[3], "one volume per label");
    assertTrue(run.out.contains("CLIP-MSM"), run.out);
  }
}
