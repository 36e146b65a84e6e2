package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.nod.NodPrepare;
import org.clipmsm.nod.NodSubject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipmsm synth nod} then {@code clipmsm prepare nod}, on both runners, and NOD's bad inputs. */
class PrepareNodEndToEndTest {
  static final String RESULTS = "derivatives/ciftify/sub-02/results/";
  @TempDir
  static Path tmp;
  static Path root;

  @BeforeAll
  static void synth() {
    root = synth("nod");
  }

  private static Path synth(String name) {
    Path dir = tmp.resolve(name);
    Cli run = Cli.run("synth", "nod", "--out", dir.toString(), "--seed", "8", "--subject", "2", "--images", "30",
        "--voxels", "60", "--grayordinates", "400", "--image-size", "16");
    assertEquals(0, run.status, run.toString());
    return dir;
  }

  @Test
  void preparedArraysEqualTheKernelOnBothRunners() throws Exception {
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    Cli a = Cli.run("prepare", "nod", "--nod-root", root.toString(), "--subject", "2", "--out", direct.toString(),
        "--voxels-per-block", "16");
    assertEquals(0, a.status, a.toString());
    Cli b = Cli.run("prepare", "nod", "--nod-root", root.toString(), "--subject", "2", "--out", flink.toString(),
        "--voxels-per-block", "16", "--runner", "FlinkRunner", "--parallelism", "2");
    assertEquals(0, b.status, b.toString());
    List<String> files = List.of("responses.npy", "voxels.csv", "image_keys.csv", "floc_face.npy",
        "floc_character.npy", "floc_object.npy");
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(direct.resolve(f)), Files.readAllBytes(flink.resolve(f)), f);
    }
    NodSubject s = NodSubject.open(root, 2);
    int[] gray = s.rois().voxels();
    assertEquals(60, gray.length);
    Matrix expected = NodPrepare.block(s, gray);
    assertEquals(80, expected.rows());
    double[] got = Npy.readMatrix(direct.resolve("responses.npy"));
    for (int i = 0; i < got.length; i++) {
      assertEquals((float) expected.data()[i], got[i], 0, "element " + i);
    }
    List<String> keys = Files.readAllLines(direct.resolve("image_keys.csv"));
    assertEquals("row,stimulus,task,repetitions", keys.get(0));
    assertEquals(81, keys.size());
    assertTrue(keys.get(80).matches("79,0000001\\d+\\.jpg,coco,2"), keys.get(80));
    List<String> voxels = Files.readAllLines(direct.resolve("voxels.csv"));
    assertEquals("column,grayordinate,structure,vertex,i,j,k,floc-faces,floc-bodies,floc-places,floc-words",
        voxels.get(0));
    // floc_face.npy = the fLoc betas' Face map (map 3) at each ROI grayordinate, in voxels.csv order.
    Cifti.Dense floc = Cifti.read(root.resolve(RESULTS + "ses-floc_task-floc/ses-floc_task-floc_beta.dscalar.nii"));
    double[] face = Npy.readVector(direct.resolve("floc_face.npy"));
    for (int c = 0; c < gray.length; c++) {
      int g = Integer.parseInt(voxels.get(c + 1).split(",")[1]);
      assertEquals(gray[c], g);
      assertEquals(floc.data()[2 + 5 * g], face[c], 0);
    }
  }

  @Test
  void mapWritesACiftiOnTheSourceBrainModels() throws Exception {
    Path prepared = tmp.resolve("for-map");
    assertEquals(0, Cli.run("prepare", "nod", "--nod-root", root.toString(), "--subject", "2", "--out",
        prepared.toString()).status);
    Path like = root.resolve(RESULTS + "ses-floc_task-floc/floc-faces.dlabel.nii");
    Path out = tmp.resolve("face.dscalar.nii");
    Cli m = Cli.run("map", "--values", prepared.resolve("floc_face.npy").toString(), "--voxels",
        prepared.resolve("voxels.csv").toString(), "--like", like.toString(), "--out", out.toString());
    assertEquals(0, m.status, m.toString());
    Cifti.Dense d = Cifti.read(out);
    for (int hemisphere = 0; hemisphere < 2; hemisphere++) {
      assertArrayEquals(Cifti.readXml(like).brainModels().get(hemisphere).vertexIndices(),
          d.xml().brainModels().get(hemisphere).vertexIndices());
    }
    double[] face = Npy.readVector(prepared.resolve("floc_face.npy"));
    int[] gray = NodSubject.open(root, 2).rois().voxels();
    assertEquals((float) face[7], d.data()[gray[7]], 0);
    assertTrue(Double.isNaN(d.data()[0]) || java.util.Arrays.binarySearch(gray, 0) >= 0);
  }

  private static void assertBadInput(Path nodRoot, String expectedInMessage) {
    Path out = tmp.resolve("never-" + expectedInMessage.hashCode());
    Cli run = Cli.run("prepare", "nod", "--nod-root", nodRoot.toString(), "--subject", "2", "--out", out.toString());
    assertEquals(2, run.status, run.toString());
    assertEquals(1, run.errorLines().lines().count(), run.err);
    assertTrue(run.errorLines().contains(expectedInMessage), run.err);
    assertFalse(Files.exists(out), "nothing written at " + out);
  }

  @Test
  void badInputIsOneLineNamingTheFile() throws Exception {
    assertBadInput(tmp.resolve("nowhere"), "no such directory");

    Path missingBetas = synth("missing-betas");
    String run2 = RESULTS + "ses-imagenet01_task-imagenet_run-2/ses-imagenet01_task-imagenet_run-2";
    Files.delete(missingBetas.resolve(run2 + "_beta.dscalar.nii"));
    assertBadInput(missingBetas, "run-2_beta.dscalar.nii: missing");

    Path shortLabels = synth("short-labels");
    Files.writeString(shortLabels.resolve(run2 + "_label.txt"), "n1_1.JPEG\n");
    assertBadInput(shortLabels, "run-2_label.txt: 1 labels, but the betas have 30 maps");

    Path noModels = synth("no-brain-models");
    Path roi = noModels.resolve(RESULTS + "ses-floc_task-floc/floc-places.dlabel.nii");
    byte[] bytes = Files.readAllBytes(roi);
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    String broken = text.replace("CIFTI_INDEX_TYPE_BRAIN_MODELS", "CIFTI_INDEX_TYPE_PARCELSXX");
    Files.write(roi, broken.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertBadInput(noModels, "floc-places.dlabel.nii");

    Path truncated = synth("truncated");
    Path coco = truncated.resolve(RESULTS + "ses-coco_task-coco_run-1/ses-coco_task-coco_run-1_beta.dscalar.nii");
    byte[] whole = Files.readAllBytes(coco);
    Files.write(coco, java.util.Arrays.copyOf(whole, whole.length - 100));
    assertBadInput(truncated, "ses-coco_task-coco_run-1_beta.dscalar.nii: truncated");

    Path noRois = synth("no-rois");
    try (Stream<Path> s = Files.list(noRois.resolve(RESULTS + "ses-floc_task-floc"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".dlabel.nii")).toList()) {
        Files.delete(p);
      }
    }
    assertBadInput(noRois, "no floc-<category>.dlabel.nii");
  }
}
