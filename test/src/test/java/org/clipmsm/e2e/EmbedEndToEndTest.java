package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.clipmsm.io.Npy;
import org.clipmsm.synth.Category;
import org.clipmsm.synth.SceneContents;
import org.clipmsm.synth.SceneDrawer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipmsm embed} and {@code embed-text} with the shipped tiny CLIP, on both runners. */
class EmbedEndToEndTest {
  @TempDir
  static Path tmp;
  static Path subject;
  static Path folder;

  @BeforeAll
  static void images() throws Exception {
    subject = tmp.resolve("nsd");
    Cli run = Cli.run("synth", "nsd", "--out", subject.toString(), "--seed", "3", "--images", "250", "--voxels",
        "20", "--image-size", "48");
    assertEquals(0, run.status, run.toString());
    folder = tmp.resolve("folder");
    Files.createDirectories(folder.resolve("sub"));
    double[][] content = SceneContents.draw(6, Category.values().length, new Random(4));
    for (int i = 0; i < content.length; i++) {
      int w = 60 + 10 * i;
      byte[] rgb = SceneDrawer.draw(content[i], w, i);
      BufferedImage img = new BufferedImage(w, w, BufferedImage.TYPE_INT_RGB);
      for (int p = 0; p < w * w; p++) {
        img.setRGB(p % w, p / w, (rgb[3 * p] & 0xFF) << 16 | (rgb[3 * p + 1] & 0xFF) << 8 | (rgb[3 * p + 2] & 0xFF));
      }
      ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", folder.resolve((i < 3 ? "" : "sub/") + "img" + i
          + (i % 2 == 0 ? ".png" : ".jpg")).toFile());
    }
  }

  /**
   * Batches are fixed by the keys (shard by key hash, sorted, cut), so runners, parallelism and thread counts give the
   * same bytes. Another batch size changes the matrix shapes inside the encoder and with them the float32 rounding
   * (measured: at most ~1e-6 on values up to 4).
   */
  @Test
  void sameBytesOnBothRunnersAndCloseAtEveryBatchSize() throws Exception {
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    Path small = tmp.resolve("batch7");
    Cli a = Cli.run("embed", "--images", subject.toString(), "--model", "tiny-clip", "--out", direct.toString());
    assertEquals(0, a.status, a.toString());
    Cli b = Cli.run("embed", "--images", subject.toString(), "--model", "tiny-clip", "--out", flink.toString(),
        "--runner", "FlinkRunner", "--parallelism", "2");
    assertEquals(0, b.status, b.toString());
    Cli c = Cli.run("embed", "--images", subject.toString(), "--model", "tiny-clip", "--out", small.toString(),
        "--batch-size", "7", "--parallelism", "2");
    assertEquals(0, c.status, c.toString());
    for (String f : List.of("embeddings.npy", "keys.csv")) {
      assertArrayEquals(Files.readAllBytes(direct.resolve(f)), Files.readAllBytes(flink.resolve(f)), f);
    }
    assertArrayEquals(Files.readAllBytes(direct.resolve("keys.csv")), Files.readAllBytes(small.resolve("keys.csv")));
    assertArrayEquals(Npy.readMatrix(direct.resolve("embeddings.npy")), Npy.readMatrix(small.resolve("embeddings.npy")),
        1e-5);
    assertArrayEquals(new long[] {250, 65}, Npy.readHeader(direct.resolve("embeddings.npy")).shape());
    List<String> keys = Files.readAllLines(direct.resolve("keys.csv"));
    assertEquals("row,key", keys.get(0));
    assertEquals("17,17", keys.get(18));
    assertFalse(Files.exists(direct.resolve("failures.csv")));
  }

  @Test
  void denseMapsOfAFolder() throws Exception {
    Path out = tmp.resolve("dense");
    Cli a = Cli.run("embed", "--images", folder.toString(), "--model", "tiny-clip", "--out", out.toString(),
        "--dense", "--format", "onnx");
    assertEquals(0, a.status, a.toString());
    assertArrayEquals(new long[] {6, 7, 7, 65}, Npy.readHeader(out.resolve("embeddings.npy")).shape());
    assertEquals(List.of("row,key", "0,img0.png", "1,img1.jpg", "2,img2.png", "3,sub/img3.jpg", "4,sub/img4.png",
        "5,sub/img5.jpg"), Files.readAllLines(out.resolve("keys.csv")));
  }

  @Test
  void unreadableImageIsListedAndTheRestEmbedded() throws Exception {
    Path images = tmp.resolve("with-broken");
    Files.createDirectories(images);
    for (String f : List.of("img0.png", "img2.png", "img1.jpg")) {
      Files.copy(folder.resolve(f), images.resolve(f));
    }
    Files.write(images.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    Path out = tmp.resolve("partial");
    Cli run = Cli.run("embed", "--images", images.toString(), "--model", "tiny-clip", "--out", out.toString());
    assertEquals(2, run.status, run.toString());
    String errors = run.errorLines().strip();
    assertEquals(1, errors.lines().count(), run.toString());
    assertTrue(errors.contains(images.resolve("broken.jpg").toString()), errors);
    assertFalse(run.err.contains("\tat "), run.err);
    assertArrayEquals(new long[] {3, 65}, Npy.readHeader(out.resolve("embeddings.npy")).shape());
    assertEquals(List.of("row,key", "0,img0.png", "1,img1.jpg", "2,img2.png"),
        Files.readAllLines(out.resolve("keys.csv")));
    List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
    assertEquals(2, failures.size());
    assertTrue(failures.get(1).startsWith("broken.jpg,"), failures.get(1));
    // The rows of the embedded images are those of a run without the broken file.
    Path clean = tmp.resolve("clean");
    Files.delete(images.resolve("broken.jpg"));
    assertEquals(0, Cli.run("embed", "--images", images.toString(), "--model", "tiny-clip", "--out",
        clean.toString()).status);
    assertArrayEquals(Files.readAllBytes(clean.resolve("embeddings.npy")),
        Files.readAllBytes(out.resolve("embeddings.npy")));
  }

  /** NOD: only the stimuli the events name, keyed by stimulus name as the NOD readers key them; a missing one is reported, the rest embedded. */
  @Test
  void stimuliNamedByNodEvents() throws Exception {
    Path events = tmp.resolve("sub-01_task-imagenet_run-1_events.tsv");
    Files.writeString(events, "onset\tduration\tstim_file\n0\t1\tsub/img4.png\n4\t1\timg0.png\n"
        + "8\t1\tsub/img4.png\n12\t1\tgone/none.JPEG\n");
    Path out = tmp.resolve("nod");
    Cli run = Cli.run("embed", "--images", folder.toString(), "--events", events.toString(), "--model", "tiny-clip",
        "--out", out.toString());
    assertEquals(2, run.status, run.toString());
    assertTrue(run.errorLines().contains("none.JPEG"), run.toString());
    assertEquals(List.of("row,key", "0,img0.png", "1,img4.png"), Files.readAllLines(out.resolve("keys.csv")));
    assertTrue(Files.readAllLines(out.resolve("failures.csv")).get(1).startsWith("none.JPEG,"));
  }

  @Test
  void labelEmbeddingsInFileOrder() throws Exception {
    Path labels = tmp.resolve("labels.txt");
    Files.writeString(labels, "faces\nbodies\n\nplaces\nwords\nfood\n");
    Path bare = tmp.resolve("text/bare.npy");
    Path photo = tmp.resolve("text/photo.npy");
    Cli a = Cli.run("embed-text", "--labels", labels.toString(), "--model", "tiny-clip", "--out", bare.toString());
    assertEquals(0, a.status, a.toString());
    Cli b = Cli.run("embed-text", "--labels", labels.toString(), "--model", "tiny-clip", "--out", photo.toString(),
        "--template", "a photo of {}", "--runner", "FlinkRunner");
    assertEquals(0, b.status, b.toString());
    assertArrayEquals(new long[] {5, 65}, Npy.readHeader(bare.toFile().toPath()).shape());
    double[] x = Npy.readMatrix(bare);
    double[] y = Npy.readMatrix(photo);
    assertFalse(Arrays.equals(x, y), "the template changes the prompt");
    // Single-label file: its row equals the matching row of the five-label run (order by file, not by batch).
    Path one = tmp.resolve("one.txt");
    Files.writeString(one, "words\n");
    Path single = tmp.resolve("text/single.npy");
    assertEquals(0, Cli.run("embed-text", "--labels", one.toString(), "--model", "tiny-clip", "--out",
        single.toString()).status);
    double[] w = Npy.readMatrix(single);
    for (int k = 0; k < 65; k++) {
      assertEquals(x[3 + k * 5], w[k], 0, "column " + k);
    }
  }

  /** Precomputed features, row i = nsdId 10 * i + 1: joined by key into the order of another keys file. */
  @Test
  void precomputedFeaturesJoinedByKey() throws Exception {
    int n = 5;
    int d = 3;
    double[] colMajor = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        colMajor[i + j * n] = 100 * i + j;
      }
    }
    Path f = tmp.resolve("features.npy");
    Npy.writeMatrix(f, colMajor, n, d, Npy.DType.FLOAT64);
    Path keys = tmp.resolve("feature_keys.csv");
    Files.writeString(keys, "nsdId\n1\n11\n21\n31\n41\n");
    Path order = tmp.resolve("image_keys.csv");
    Files.writeString(order, "row,nsdId,repetitions\n0,31,3\n1,1,3\n2,21,2\n");
    Path out = tmp.resolve("joined");
    Cli run = Cli.run("embed", "--features", f.toString(), "--keys", keys.toString(), "--order", order.toString(),
        "--out", out.toString());
    assertEquals(0, run.status, run.toString());
    assertArrayEquals(new long[] {3, 3}, Npy.readHeader(out.resolve("embeddings.npy")).shape());
    assertArrayEquals(new double[] {300, 0, 200, 301, 1, 201, 302, 2, 202}, Npy.readMatrix(out.resolve(
        "embeddings.npy")), 0);
    assertEquals(List.of("row,key", "0,31", "1,1", "2,21"), Files.readAllLines(out.resolve("keys.csv")));
    Files.writeString(order, "row,nsdId\n0,31\n1,7\n");
    Cli missing = Cli.run("embed", "--features", f.toString(), "--keys", keys.toString(), "--order",
        order.toString(), "--out", tmp.resolve("joined2").toString());
    assertEquals(2, missing.status, missing.toString());
    assertTrue(missing.errorLines().contains("features.npy: no features for key 7"), missing.toString());
  }

  @Test
  void badModelIsOneLine() throws Exception {
    Path out = tmp.resolve("bad-model");
    Cli run = Cli.run("embed", "--images", folder.toString(), "--model", tmp.resolve("no-model").toString(), "--out",
        out.toString());
    assertEquals(2, run.status, run.toString());
    assertEquals(1, run.errorLines().strip().lines().count(), run.toString());
    assertTrue(run.errorLines().contains("no-model"), run.toString());
    assertFalse(Files.exists(out.resolve("embeddings.npy")));
  }
}
