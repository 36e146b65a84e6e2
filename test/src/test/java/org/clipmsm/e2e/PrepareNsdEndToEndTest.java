package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.nsd.NsdPrepare;
import org.clipmsm.nsd.NsdSubject;
import org.clipmsm.nsd.ResponsePreprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipmsm synth nsd} then {@code clipmsm prepare nsd}, on both runners. */
class PrepareNsdEndToEndTest {
  @TempDir
  static Path tmp;
  static Path root;

  @BeforeAll
  static void synth() {
    root = tmp.resolve("nsd");
    Cli run = Cli.run("synth", "nsd", "--out", root.toString(), "--seed", "5", "--images", "500", "--sessions", "2",
        "--voxels", "150", "--grid", "14,16,12", "--image-size", "16");
    assertEquals(0, run.status, run.toString());
  }

  @Test
  void preparedArraysEqualTheKernelOnBothRunners() throws Exception {
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    String food = root.resolve("masks/food.nii.gz").toString();
    String rois = "floc-faces,floc-bodies,floc-places,floc-words," + food;
    Cli a = Cli.run("prepare", "nsd", "--nsd-root", root.toString(), "--out", direct.toString(), "--rois", rois,
        "--voxels-per-block", "40");
    assertEquals(0, a.status, a.toString());
    Cli b = Cli.run("prepare", "nsd", "--nsd-root", root.toString(), "--out", flink.toString(), "--rois", rois,
        "--voxels-per-block", "40", "--runner", "FlinkRunner", "--parallelism", "2");
    assertEquals(0, b.status, b.toString());
    for (String f : List.of("responses.npy", "voxels.csv", "image_keys.csv", "ncsnr.npy", "floc_faces.npy")) {
      assertArrayEquals(Files.readAllBytes(direct.resolve(f)), Files.readAllBytes(flink.resolve(f)), f);
    }
    NsdSubject s = NsdSubject.open(root, 1, List.of("floc-faces", "floc-bodies", "floc-places", "floc-words", food));
    int[] voxels = s.rois().voxels();
    assertEquals(150, voxels.length);
    Matrix expected = NsdPrepare.block(s, voxels, ResponsePreprocessing.ZScore.SESSION);
    double[] got = Npy.readMatrix(direct.resolve("responses.npy"));
    assertEquals(500, Npy.readHeader(direct.resolve("responses.npy")).rows());
    for (int i = 0; i < got.length; i++) {
      assertEquals((float) expected.data()[i], got[i], 0, "element " + i);
    }
    // image_keys.csv: the synthetic design gives nsdId i the cocoId 100000 + 7 i (nsd_stim_info_merged.csv).
    List<String> keys = Files.readAllLines(direct.resolve("image_keys.csv"));
    assertEquals("row,nsdId,cocoId,repetitions", keys.get(0));
    for (String row : keys.subList(1, keys.size())) {
      String[] f = row.split(",");
      assertEquals(100000 + 7 * Long.parseLong(f[1]), Long.parseLong(f[2]), row);
    }
    // ncsnr.npy holds the dataset's ncsnr at the voxels, in voxels.csv order.
    double[] ncsnr = Nifti.readMasked(NsdSubject.betasDir(root, 1).resolve("ncsnr.nii.gz"), voxels);
    assertArrayEquals(ncsnr, Npy.readVector(direct.resolve("ncsnr.npy")), 0);
    List<String> voxelRows = Files.readAllLines(direct.resolve("voxels.csv"));
    assertEquals("column,voxel,i,j,k,floc-faces,floc-bodies,floc-places,floc-words,food", voxelRows.get(0));
    assertEquals(151, voxelRows.size());
    String[] first = voxelRows.get(1).split(",");
    int lin = Integer.parseInt(first[1]);
    assertEquals(lin, Integer.parseInt(first[2]) + 14 * (Integer.parseInt(first[3]) + 16 * Integer.parseInt(first[4])));
  }

  @Test
  void mapPutsPreparedValuesBackIntoTheSubjectsVolume() throws Exception {
    Path prepared = tmp.resolve("for-map");
    Cli p = Cli.run("prepare", "nsd", "--nsd-root", root.toString(), "--out", prepared.toString());
    assertEquals(0, p.status, p.toString());
    Path brainmask = NsdSubject.funcDir(root, 1).resolve("brainmask.nii.gz");
    Path out = tmp.resolve("ncsnr_map.nii.gz");
    Cli m = Cli.run("map", "--values", prepared.resolve("ncsnr.npy").toString(), "--voxels",
        prepared.resolve("voxels.csv").toString(), "--like", brainmask.toString(), "--out", out.toString());
    assertEquals(0, m.status, m.toString());
    double[] volume = Nifti.readData(out);
    double[] ncsnr = Npy.readVector(prepared.resolve("ncsnr.npy"));
    List<String> rows = Files.readAllLines(prepared.resolve("voxels.csv"));
    int finite = 0;
    for (double x : volume) {
      finite += Double.isNaN(x) ? 0 : 1;
    }
    assertEquals(ncsnr.length, finite);
    for (int c = 0; c < ncsnr.length; c++) {
      int lin = Integer.parseInt(rows.get(c + 1).split(",")[1]);
      assertEquals((float) ncsnr[c], volume[lin], 0);
    }
    assertArrayEquals(Nifti.readHeader(brainmask).affine()[0], Nifti.readHeader(out).affine()[0], 1e-6);
  }

  @Test
  void badRootsAreOneLine() {
    Cli run = Cli.run("prepare", "nsd", "--nsd-root", tmp.resolve("nowhere").toString(), "--out",
        tmp.resolve("x").toString());
    assertEquals(2, run.status, run.toString());
    assertTrue(run.errorLines().contains("no such directory"), run.err);
    run = Cli.run("prepare", "nsd", "--nsd-root", root.toString(), "--subject", "9", "--out",
        tmp.resolve("x").toString());
    assertEquals(2, run.status, run.toString());
    assertTrue(run.errorLines().contains("--subject: expected 1..8"), run.err);
  }
}
