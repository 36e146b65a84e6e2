package org.clipmsm.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.clipmsm.InvalidInputException;
import org.clipmsm.image.RgbImage;
import org.clipmsm.synth.Category;
import org.clipmsm.synth.SceneContents;
import org.clipmsm.synth.SceneDrawer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped tiny CLIP through DJL: the tokenizer and both engines against Python torch's outputs of the same files
 * (tools/tiny_clip/reference.py; the network's 64 coordinates, then the modality-gap coordinate clipmsm appends),
 * TorchScript against ONNX, its zero-shot accuracy on newly drawn scenes, and the errors for a bad model.
 */
class TinyClipTest {
  private static final float TOL = 1e-5f;
  private static EmbeddingModel torchScript;
  private static EmbeddingModel onnx;
  private static float[] pixels;

  @BeforeAll
  static void load() {
    torchScript = EmbeddingModel.open(ModelRef.of(ModelRef.TINY_CLIP).withFormat(ModelRef.Format.TORCHSCRIPT));
    onnx = EmbeddingModel.open(ModelRef.of(ModelRef.TINY_CLIP).withFormat(ModelRef.Format.ONNX));
    float[] wide = Fixtures.floats(Fixtures.resource("wide.clip.npy"));
    float[] tall = Fixtures.floats(Fixtures.resource("tall.clip.npy"));
    pixels = Arrays.copyOf(wide, wide.length * 2);
    System.arraycopy(tall, 0, pixels, wide.length, tall.length);
  }

  @AfterAll
  static void close() {
    torchScript.close();
    onnx.close();
  }

  private static long[][] referenceIds() {
    long[] flat = Fixtures.longs(Fixtures.resource("tiny-clip.ids.npy"));
    long[][] ids = new long[flat.length / 77][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Arrays.copyOfRange(flat, i * 77, (i + 1) * 77);
    }
    return ids;
  }

  /** The network's 64 coordinates of each vector, after checking that the appended 65th is g times their norm. */
  private static float[][] network(float[][] rows, double g) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      assertEquals(0, rows[i].length % 65, "65 floats per vector");
      int vectors = rows[i].length / 65;
      out[i] = new float[vectors * 64];
      for (int v = 0; v < vectors; v++) {
        double ss = 0;
        for (int k = 0; k < 64; k++) {
          float x = rows[i][v * 65 + k];
          ss += (double) x * x;
          out[i][v * 64 + k] = x;
        }
        assertEquals(g * Math.sqrt(ss), rows[i][v * 65 + 64], 1e-6 * g * Math.sqrt(ss), "gap coordinate");
      }
    }
    return out;
  }

  private static float[][] image(float[][] rows) {
    return network(rows, torchScript.modalityGap().image());
  }

  private static float[][] text(float[][] rows) {
    return network(rows, torchScript.modalityGap().text());
  }

  private static void assertClose(float[] expected, float[][] actual, String what) {
    float[] flat = new float[expected.length];
    int per = actual[0].length;
    for (int i = 0; i < actual.length; i++) {
      System.arraycopy(actual[i], 0, flat, i * per, per);
    }
    assertEquals(expected.length, actual.length * per, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], flat[i], TOL, what + " at " + i);
    }
  }

  @Test
  void tokenizerMatchesClipBpe() throws Exception {
    List<String> prompts = Files.readAllLines(Fixtures.resource("tiny-clip.prompts.txt"));
    long[][] expected = referenceIds();
    ClipTokenizer tok = torchScript.tokenizer();
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], tok.encode(prompts.get(i)), prompts.get(i));
    }
  }

  @Test
  void torchScriptMatchesPython() {
    assertClose(Fixtures.floats(Fixtures.resource("tiny-clip.image.npy")), image(torchScript.embedImages(pixels, 2)),
        "image");
    int[] shape = new int[3];
    assertClose(Fixtures.floats(Fixtures.resource("tiny-clip.dense.npy")),
        image(torchScript.dense(pixels, 2, shape)), "dense");
    assertArrayEquals(new int[] {7, 7, 65}, shape);
    assertClose(Fixtures.floats(Fixtures.resource("tiny-clip.text.npy")),
        text(torchScript.embedTexts(referenceIds())), "text");
  }

  @Test
  void onnxMatchesTorchScript() {
    assertEquals(torchScript.modalityGap(), onnx.modalityGap());
    assertClose(Fixtures.floats(Fixtures.resource("tiny-clip.image.npy")), image(onnx.embedImages(pixels, 2)),
        "image");
    int[] shape = new int[3];
    assertClose(Fixtures.floats(Fixtures.resource("tiny-clip.dense.npy")), image(onnx.dense(pixels, 2, shape)),
        "dense");
    assertArrayEquals(new int[] {7, 7, 65}, shape);
    assertClose(Fixtures.floats(Fixtures.resource("tiny-clip.text.npy")), text(onnx.embedTexts(referenceIds())),
        "text");
  }

  /**
   * Filling the staging buffer in place (as EmbedImages' preprocessing threads do, in any order) gives the Python
   * reference embeddings too, and a smaller batch after a larger one reads only its own images.
   */
  @Test
  void stagedBatchesMatchPython() {
    int len = 3 * 224 * 224;
    java.nio.FloatBuffer staging = torchScript.stagingBuffer(3);
    staging.put(0, new float[3 * len]);
    staging.put(len, pixels, len, len);
    staging.put(0, pixels, 0, len);
    assertClose(Fixtures.floats(Fixtures.resource("tiny-clip.image.npy")), image(torchScript.embedStaged(2)),
        "staged");
    staging = torchScript.stagingBuffer(1);
    staging.put(0, pixels, len, len);
    float[] second = Arrays.copyOfRange(Fixtures.floats(Fixtures.resource("tiny-clip.image.npy")), 64, 128);
    assertClose(second, image(torchScript.embedStaged(1)), "staged alone");
  }

  /** An image's embedding does not depend on its batch-mates beyond float32 rounding. */
  @Test
  void batchMatesDoNotMatter() {
    float[][] both = torchScript.embedImages(pixels, 2);
    float[][] alone = torchScript.embedImages(Arrays.copyOfRange(pixels, 3 * 224 * 224, 2 * 3 * 224 * 224), 1);
    assertArrayEquals(both[1], alone[0], TOL);
  }

  /**
   * Zero-shot classification of newly drawn scenes (a seed and sizes the training never saw) by their dominant
   * category: cosine between the image embedding and each bare label's text embedding, as CLIP-MSM scores P.
   */
  @Test
  void zeroShotAccuracyWellAboveChance() {
    int n = 200;
    double[][] content = SceneContents.draw(n, Category.values().length, new Random(987));
    ClipTokenizer tok = torchScript.tokenizer();
    long[][] ids = Arrays.stream(Category.values()).map(c -> tok.encode(c.label())).toArray(long[][]::new);
    float[][] text = normalised(torchScript.embedTexts(ids));
    ImagePreprocessing pre = torchScript.preprocessing();
    int hits = 0;
    int batch = 50;
    for (int start = 0; start < n; start += batch) {
      float[] px = new float[batch * pre.length()];
      for (int i = 0; i < batch; i++) {
        int size = (start + i) % 2 == 0 ? 80 : 128;
        byte[] rgb = SceneDrawer.draw(content[start + i], size, 555_000L + start + i);
        pre.apply(new RgbImage(size, size, rgb), px, i * pre.length());
      }
      float[][] img = normalised(torchScript.embedImages(px, batch));
      for (int i = 0; i < batch; i++) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < text.length; c++) {
          double s = 0;
          for (int k = 0; k < img[i].length; k++) {
            s += img[i][k] * text[c][k];
          }
          if (s > bestScore) {
            bestScore = s;
            best = c;
          }
        }
        int truth = 0;
        for (int c = 1; c < content[start + i].length; c++) {
          if (content[start + i][c] > content[start + i][truth]) {
            truth = c;
          }
        }
        hits += best == truth ? 1 : 0;
      }
    }
    double accuracy = hits / (double) n;
    System.out.printf("tiny CLIP zero-shot accuracy on %d new scenes: %.3f (chance 0.2)%n", n, accuracy);
    assertTrue(accuracy > 0.9, "zero-shot accuracy " + accuracy);
  }

  private static float[][] normalised(float[][] rows) {
    for (float[] r : rows) {
      double s = 0;
      for (float v : r) {
        s += v * v;
      }
      float inv = (float) (1 / Math.sqrt(s));
      for (int k = 0; k < r.length; k++) {
        r[k] *= inv;
      }
    }
    return rows;
  }

  @Test
  void missingModelDirectory(@TempDir Path dir) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> EmbeddingModel.open(ModelRef.of(dir.resolve("nope").toString())));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void corruptModelNamesTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("model.properties"), "preprocess=clip\n");
    byte[] junk = new byte[4096];
    new Random(1).nextBytes(junk);
    Files.write(dir.resolve("image.pt"), junk);
    Files.write(dir.resolve("image.onnx"), junk);
    for (ModelRef.Format f : List.of(ModelRef.Format.TORCHSCRIPT, ModelRef.Format.ONNX)) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> EmbeddingModel.open(new ModelRef(dir.toString(), f)));
      assertTrue(e.getMessage().startsWith(dir.resolve(f == ModelRef.Format.ONNX ? "image.onnx" : "image.pt")
          .toString()), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  /** An ImageNet-preprocessed (224) model directory whose encoder was exported for 64-pixel inputs. */
  @Test
  void wrongInputSizeNamesTheModel() {
    Path dir = Fixtures.resource("fixed-64");
    try (EmbeddingModel m = EmbeddingModel.open(ModelRef.of(dir.toString()))) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> m.embedImages(new float[3 * 224 * 224], 1));
      assertTrue(e.getMessage().startsWith(dir.resolve("image.pt").toString()), e.getMessage());
      assertTrue(e.getMessage().contains("(1, 3, 224, 224)"), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }
}
