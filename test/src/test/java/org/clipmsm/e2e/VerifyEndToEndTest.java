package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.clipmsm.pipelines.output.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every run with {@code --out} writes a manifest (inputs and outputs with their SHA-256, the command line, runner and
 * versions), and {@code verify} checks a result against it and reruns it: exit 0 when everything matches, 1 naming
 * the first file that differs.
 */
class VerifyEndToEndTest {
  @TempDir
  static Path tmp;

  @BeforeAll
  static void data() {
    double[] x = writeFitInputs(tmp, 3);
    Npy.writeMatrix(tmp.resolve("T.npy"), java.util.Arrays.copyOf(x, 5 * 6), 5, 6, Npy.DType.FLOAT64);
  }

  /**
   * A small fit's inputs in {@code dir}: X.npy (200 images x 6 features, float64) and Y.npy (200 x 20 voxels,
   * float32), drawn from {@code seed}. Returns X, column-major.
   */
  static double[] writeFitInputs(Path dir, long seed) {
    Random rnd = new Random(seed);
    double[] x = new double[200 * 6];
    double[] y = new double[200 * 20];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i % x.length] + rnd.nextGaussian();
    }
    Npy.writeMatrix(dir.resolve("X.npy"), x, 200, 6, Npy.DType.FLOAT64);
    Npy.writeMatrix(dir.resolve("Y.npy"), y, 200, 20, Npy.DType.FLOAT32);
    return x;
  }

  static String sha256(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  static Path fit(String name) {
    Path out = tmp.resolve(name);
    StudyEndToEndTest.ok("fit", "--features", tmp.resolve("X.npy").toString(), "--responses",
        tmp.resolve("Y.npy").toString(), "--significance", "--out", out.toString());
    return out;
  }

  @Test
  void aFitsManifestListsItsInputsAndEveryOutputWithTheirDigests() throws Exception {
    Path out = fit("fit-manifest");
    Manifest.Contents m = Manifest.read(out.resolve(Manifest.FILE));
    assertEquals(Map.of(tmp.resolve("X.npy").toString(), sha256(tmp.resolve("X.npy")), tmp.resolve("Y.npy").toString(),
        sha256(tmp.resolve("Y.npy"))), m.inputs());
    List<Path> files = StudyEndToEndTest.files(out);
    assertEquals(files.size() - 1, m.outputs().size(), "every file but the marker: " + files);
    for (Map.Entry<String, String> e : m.outputs().entrySet()) {
      assertEquals(sha256(out.resolve(e.getKey())), e.getValue(), e.getKey());
    }
    assertEquals("fit", m.command().get(0));
    assertEquals("DirectRunner", m.runner());
    assertTrue(m.versions().keySet().containsAll(List.of("clipmsm", "java", "beam", "flink")), m.versions().toString());
  }

  @Test
  void verifyPassesOnAnUntouchedRunAndNamesTheFirstFileThatDiffers() throws Exception {
    Path out = fit("fit-verify");
    Path manifest = out.resolve(Manifest.FILE);
    Cli ok = Cli.run("verify", "--manifest", manifest.toString());
    assertEquals(0, ok.status, ok.toString());
    assertTrue(ok.out.contains("the rerun reproduces all 13 outputs"), ok.out);

    // One byte of one output changed: the result no longer matches its manifest.
    Path r2 = out.resolve("r2.npy");
    byte[] original = flipLastBit(r2);
    Cli bad = Cli.run("verify", "--manifest", manifest.toString(), "--no-rerun");
    assertEquals(1, bad.status, bad.toString());
    assertTrue(bad.err.contains("r2.npy differs"), bad.err);
    Files.write(r2, original);

    // A manifest whose record of one output is not what a rerun writes: the rerun names it.
    Path copy = tmp.resolve("copied-manifest.json");
    String text = Files.readString(manifest);
    String weights = Manifest.read(manifest).outputs().get("weights.npy");
    Files.writeString(copy, text.replace(weights, new StringBuilder(weights).reverse()));
    Cli rerun = Cli.run("verify", "--manifest", copy.toString());
    assertEquals(1, rerun.status, rerun.toString());
    assertTrue(rerun.err.contains("the rerun's weights.npy differs"), rerun.err);

    // A changed input is named before anything is rerun.
    Path x = tmp.resolve("X.npy");
    byte[] xs = flipLastBit(x);
    try {
      Cli input = Cli.run("verify", "--manifest", manifest.toString());
      assertEquals(1, input.status, input.toString());
      assertTrue(input.err.contains("input " + x + " changed"), input.err);
    } finally {
      Files.write(x, xs);
    }
  }

  /** Changes one bit of the file's last byte; returns its bytes before. */
  static byte[] flipLastBit(Path f) throws IOException {
    byte[] before = Files.readAllBytes(f);
    byte[] after = before.clone();
    after[after.length - 1] ^= 1;
    Files.write(f, after);
    return before;
  }

  @Test
  void aFileResultHasItsManifestBesideIt() throws Exception {
    Path p = tmp.resolve("P.npy");
    StudyEndToEndTest.ok("similarities", "--image-embeddings", tmp.resolve("X.npy").toString(), "--text-embeddings",
        tmp.resolve("T.npy").toString(), "--out", p.toString());
    Path manifest = tmp.resolve("P.npy.manifest.json");
    assertEquals(Map.of("P.npy", sha256(p)), Manifest.read(manifest).outputs());
    Cli ok = Cli.run("verify", "--manifest", manifest.toString());
    assertEquals(0, ok.status, ok.toString());
  }

  @Test
  void aFileThatIsNotAManifestIsBadInput() throws IOException {
    Path f = Files.writeString(tmp.resolve("not.json"), "{\"command\": []}");
    Cli bad = Cli.run("verify", "--manifest", f.toString());
    assertEquals(2, bad.status, bad.toString());
    assertTrue(bad.err.contains(f + ": no \"out\""), bad.err);
  }
}
