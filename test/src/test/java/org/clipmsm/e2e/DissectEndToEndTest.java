package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.LabelPrior;
import org.clipmsm.dissect.LabelScorer;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.schemas.SemanticMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipmsm dissect} as a user runs it, on both runners, and its bad input. */
class DissectEndToEndTest {
  static final int N = 150;
  static final int F = 6;
  static final int V = 40;
  static final int L = 5;
  static final List<String> OUTPUTS = List.of("scores.npy", "msm.npy", "argmax.npy", "semantic_map.avro",
      "labels_per_voxel.csv");

  @TempDir
  static Path tmp;
  static Path data;
  static Matrix q;
  static Matrix p;

  static Matrix random(int rows, int cols, Random rnd, double scale, double shift) {
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < m.data().length; i++) {
      m.data()[i] = shift + scale * rnd.nextGaussian();
    }
    return m;
  }

  static void write(Path f, Matrix m) {
    Npy.writeMatrix(f, m.data(), m.rows(), m.cols(), Npy.DType.FLOAT64);
  }

  @BeforeAll
  static void data() throws IOException {
    data = tmp.resolve("data");
    Files.createDirectories(data);
    Random rnd = new Random(9);
    Matrix emb = random(N, F, rnd, 1, 0);
    Matrix w = random(F, V, rnd, 1, 0);
    q = emb.times(w);
    p = random(N, L, rnd, 0.04, 0.22);
    write(data.resolve("I.npy"), emb);
    write(data.resolve("W.npy"), w);
    write(data.resolve("Q.npy"), q);
    write(data.resolve("P.npy"), p);
    Files.writeString(data.resolve("labels.txt"), "faces\r\nbodies\nplaces\nwords\nfood\n");
    StringBuilder sets = new StringBuilder("set,voxel\n");
    for (int v = 0; v < 15; v++) {
      sets.append("ffa,").append(v).append('\n');
    }
    for (int v = 10; v < 30; v++) {
      sets.append("ppa,").append(v).append('\n');
    }
    Files.writeString(data.resolve("sets.csv"), sets);
  }

  /** Q and P of the test data, 7 voxels per block, top_k 20, the five labels. */
  static String[] dissect(Path out, String... extra) {
    return plain(out, concat(new String[] {"--top-k", "20", "--labels", data.resolve("labels.txt").toString()},
        extra));
  }

  /** Q and P of the test data, 7 voxels per block, nothing else. */
  static String[] plain(Path out, String... extra) {
    return concat(new String[] {"dissect", "--activations", data.resolve("Q.npy").toString(), "--similarities",
        data.resolve("P.npy").toString(), "--out", out.toString(), "--voxels-per-block", "7"}, extra);
  }

  static String[] concat(String[] a, String[] b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /** S for the voxels of a set through the kernels (tested against brute force in the transforms module). */
  static double[] expectedScores(long[] voxels, Dissection spec) {
    Matrix qs = Matrix.zeros(N, voxels.length);
    for (int r = 0; r < voxels.length; r++) {
      for (int i = 0; i < N; i++) {
        qs.set(i, r, q.get(i, (int) voxels[r]));
      }
    }
    double[] x = LabelScorer.prepare(p, spec).score(qs, 0);
    return LabelPrior.subtract(x, voxels.length, L, LabelPrior.of(x, voxels.length, L), spec.lambda());
  }

  static long[] range(int from, int to) {
    return java.util.stream.LongStream.range(from, to).toArray();
  }

  /**
   * --scores-dtype float32 --no-avro: scores.npy and msm.npy are the float64 run's values rounded to float32, no
   * semantic_map.avro, everything else byte for byte the float64 run's.
   */
  @Test
  void float32ScoresWithoutAvroAreTheFloat64RunRounded() throws IOException {
    Path wide = tmp.resolve("f64");
    Path narrow = tmp.resolve("f32");
    assertEquals(0, Cli.run(dissect(wide)).status);
    Cli r = Cli.run(dissect(narrow, "--scores-dtype", "float32", "--no-avro"));
    assertEquals(0, r.status, r.toString());
    for (String f : List.of("scores.npy", "msm.npy")) {
      assertEquals("<f4", Npy.readHeader(narrow.resolve(f)).descr(), f);
      double[] a = Npy.readMatrix(wide.resolve(f));
      double[] b = Npy.readMatrix(narrow.resolve(f));
      assertEquals(a.length, b.length);
      for (int i = 0; i < a.length; i++) {
        assertEquals((double) (float) a[i], b[i], 0, f + " value " + i);
      }
    }
    assertFalse(Files.exists(narrow.resolve("semantic_map.avro")));
    assertTrue(Files.exists(wide.resolve("semantic_map.avro")));
    for (String f : List.of("argmax.npy", "labels_per_voxel.csv", "top_label_counts.csv", "probe_images.csv")) {
      assertArrayEquals(Files.readAllBytes(wide.resolve(f)), Files.readAllBytes(narrow.resolve(f)), f);
    }
    Cli.assertRejected(tmp.resolve("f16"), "--scores-dtype", dissect(tmp.resolve("f16"), "--scores-dtype",
        "float16"));
  }

  @Test
  void directAndFlinkWriteIdenticalBytesPerVoxelSet() throws IOException {
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    String sets = data.resolve("sets.csv").toString();
    Cli a = Cli.run(dissect(direct, "--voxel-sets", sets, "--parallelism", "2"));
    assertEquals(0, a.status, a.toString());
    Cli b = Cli.run(dissect(flink, "--voxel-sets", sets, "--runner", "FlinkRunner", "--parallelism", "2"));
    assertEquals(0, b.status, b.toString());
    for (String set : List.of("ffa", "ppa", "union")) {
      for (String f : OUTPUTS) {
        assertArrayEquals(Files.readAllBytes(direct.resolve(set).resolve(f)),
            Files.readAllBytes(flink.resolve(set).resolve(f)), set + "/" + f + ": Direct vs Flink");
      }
    }
    for (String f : List.of("top_label_counts.csv", "probe_images.csv")) {
      assertArrayEquals(Files.readAllBytes(direct.resolve(f)), Files.readAllBytes(flink.resolve(f)), f);
    }
    try (Stream<Path> left = Files.list(direct)) {
      assertEquals(6, left.filter(f -> !f.getFileName().toString().equals(OutputDirectory.MARKER)).count(),
          "three set directories, two summaries and the manifest, no staging leftovers");
    }
    // Each set has its own log p(d): the same voxel scores differently in ffa and in the union.
    Dissection spec = Dissection.softWpmi().withTopK(20);
    double[] ffa = Npy.readMatrix(direct.resolve("ffa/scores.npy"));
    double[] expectedFfa = expectedScores(range(0, 15), spec);
    double[] union = Npy.readMatrix(direct.resolve("union/scores.npy"));
    double[] expectedUnion = expectedScores(range(0, 30), spec);
    var h = Npy.readHeader(direct.resolve("ffa/scores.npy"));
    assertEquals(15, h.rows());
    assertEquals(L, h.cols());
    for (int r = 0; r < 15; r++) {
      for (int d = 0; d < L; d++) {
        // readMatrix is column-major; the kernel's rows are row-major.
        assertEquals(expectedFfa[r * L + d], ffa[r + d * 15], 1e-12);
        assertEquals(expectedUnion[r * L + d], union[r + d * 30], 1e-12);
      }
    }
    assertTrue(Math.abs(ffa[0] - union[0]) > 1e-6, "log p(d) differs between sets");
    // Rerunning into the same directory replaces the sets' files.
    Cli again = Cli.run(dissect(direct, "--voxel-sets", sets));
    assertEquals(0, again.status, again.toString());
  }

  @Test
  void outputsAgreeWithEachOtherAndWithTheKernel() throws IOException {
    Path out = tmp.resolve("all");
    Cli run = Cli.run(dissect(out, "--temperature", "0.5"));
    assertEquals(0, run.status, run.toString());
    Dissection spec = Dissection.softWpmi().withTopK(20);
    double[] expected = expectedScores(range(0, V), spec);
    double[] s = Npy.readMatrix(out.resolve("scores.npy"));
    double[] msm = Npy.readMatrix(out.resolve("msm.npy"));
    long[] argmax = Npy.readLongVector(out.resolve("argmax.npy"));
    assertEquals("<i4", Npy.readHeader(out.resolve("argmax.npy")).descr());
    List<String> csv = Files.readAllLines(out.resolve("labels_per_voxel.csv"));
    assertEquals("voxel,label,weight,label2,weight2,label3,weight3", csv.get(0));
    String[] names = {"faces", "bodies", "places", "words", "food"};
    try (DataFileReader<SemanticMap> maps = new DataFileReader<>(out.resolve("semantic_map.avro").toFile(),
        new SpecificDatumReader<>(SemanticMap.class))) {
      for (int v = 0; v < V; v++) {
        SemanticMap m = maps.next();
        double z = 0;
        int best = 0;
        for (int d = 0; d < L; d++) {
          assertEquals(expected[v * L + d], s[v + d * V], 1e-12);
          best = expected[v * L + d] > expected[v * L + best] ? d : best;
        }
        for (int d = 0; d < L; d++) {
          z += Math.exp((expected[v * L + d] - expected[v * L + best]) / 0.5);
        }
        for (int d = 0; d < L; d++) {
          assertEquals(Math.exp((expected[v * L + d] - expected[v * L + best]) / 0.5) / z, msm[v + d * V], 1e-12);
        }
        assertEquals(best, argmax[v]);
        assertEquals(v, m.getVoxel());
        assertEquals(best, m.getLabel());
        assertEquals(names[best], m.getLabelName());
        assertEquals("all", m.getVoxelSet());
        assertEquals(msm[v + best * V], m.getProbability(), 0);
        String[] f = csv.get(v + 1).split(",");
        assertEquals(Integer.toString(v), f[0]);
        assertEquals(names[best], f[1]);
        assertEquals(msm[v + best * V], Double.parseDouble(f[2]), 0);
      }
      assertFalse(maps.hasNext());
    }
    List<String> counts = Files.readAllLines(out.resolve("top_label_counts.csv"));
    long total = counts.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[3])).sum();
    assertEquals(V, total);
    List<String> probes = Files.readAllLines(out.resolve("probe_images.csv"));
    assertEquals(4, probes.size(), "header and the top-3 images of the winning label");
    // The probe images: highest mean activation over the winning label's voxels.
    int winner = Integer.parseInt(counts.get(1).split(",")[1]);
    double[] mean = new double[N];
    for (int v = 0; v < V; v++) {
      if (argmax[v] == winner) {
        for (int i = 0; i < N; i++) {
          mean[i] += q.get(i, v);
        }
      }
    }
    Integer[] idx = new Integer[N];
    for (int i = 0; i < N; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (x, y) -> Double.compare(mean[y], mean[x]));
    for (int r = 0; r < 3; r++) {
      assertEquals(idx[r].intValue(), Integer.parseInt(probes.get(r + 1).split(",")[5]));
    }
  }

  @Test
  void embeddingsAndWeightsGiveTheActivationsResult() {
    Path viaQ = tmp.resolve("via-q");
    Path viaW = tmp.resolve("via-w");
    Cli a = Cli.run(plain(viaQ, "--method", "cos3"));
    assertEquals(0, a.status, a.toString());
    Cli b = Cli.run("dissect", "--embeddings", data.resolve("I.npy").toString(), "--weights",
        data.resolve("W.npy").toString(), "--similarities", data.resolve("P.npy").toString(), "--out",
        viaW.toString(), "--method", "cos3");
    assertEquals(0, b.status, b.toString());
    assertArrayEquals(Npy.readMatrix(viaQ.resolve("scores.npy")), Npy.readMatrix(viaW.resolve("scores.npy")), 1e-12);
  }

  // Bad input: one error line naming the file or option, exit status 2, nothing written (Cli.assertRejected).

  @Test
  void badInput() throws IOException {
    Path out = tmp.resolve("bad");
    Files.writeString(data.resolve("four.txt"), "faces\nbodies\nplaces\nwords\n");
    Cli.assertRejected(out, "four.txt: 4 labels, but P.npy has 5 columns",
        plain(out, "--labels", data.resolve("four.txt").toString()));
    Cli.assertRejected(out, "--top-k: 200 top images, but P.npy has only 150 images", plain(out, "--top-k", "200"));
    Matrix qn = q.copy();
    qn.set(17, 33, Double.NaN);
    write(data.resolve("Qnan.npy"), qn);
    Cli.assertRejected(out, "Qnan.npy: non-finite value NaN at row 17, column 33",
        "dissect", "--activations", data.resolve("Qnan.npy").toString(), "--similarities",
        data.resolve("P.npy").toString(), "--out", out.toString(), "--top-k", "20");
    Matrix pn = p.copy();
    pn.set(3, 2, Double.POSITIVE_INFINITY);
    write(data.resolve("Pnan.npy"), pn);
    Cli.assertRejected(out, "Pnan.npy: non-finite value Infinity at row 3, column 2",
        "dissect", "--activations", data.resolve("Q.npy").toString(), "--similarities",
        data.resolve("Pnan.npy").toString(), "--out", out.toString(), "--top-k", "20");
    Files.writeString(data.resolve("empty.csv"), "set,voxel\n");
    Cli.assertRejected(out, "empty.csv: no voxel sets", dissect(out, "--voxel-sets", data.resolve("empty.csv").toString()));
    Files.writeString(data.resolve("far.csv"), "set,voxel\nffa,3\nffa,40\n");
    Cli.assertRejected(out, "far.csv: line 3: voxel 40 out of range", dissect(out, "--voxel-sets",
        data.resolve("far.csv").toString()));
    Matrix short90 = Matrix.zeros(90, V);
    write(data.resolve("short.npy"), short90);
    Cli.assertRejected(out, "short.npy: 90 rows (images), but P.npy has 150", "dissect", "--activations",
        data.resolve("short.npy").toString(), "--similarities", data.resolve("P.npy").toString(), "--out",
        out.toString());
    Cli.assertRejected(out, "--method", dissect(out, "--method", "pmi"));
    Cli.assertRejected(out, "--top-k: not used by --method cos", dissect(out, "--method", "cos"));
    Cli.assertRejected(out, "--activations", "dissect", "--similarities", data.resolve("P.npy").toString(), "--out",
        out.toString());
  }
}
