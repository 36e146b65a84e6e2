package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.dissect.BruteForceDissection;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.schemas.SemanticMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dissection transforms composed the way a user composes them, checked against a brute-force computation. */
@ExtendWith(TestPipelineExtension.class)
class DissectTransformsTest {
  static final int N = 160;
  static final int F = 6;
  static final int V = 31;
  static final int L = 5;
  static final List<String> LABELS = List.of("faces", "bodies", "places", "words", "food");

  static Matrix randomMatrix(int rows, int cols, long seed, double scale, double shift) {
    Random rnd = new Random(seed);
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < m.data().length; i++) {
      m.data()[i] = shift + scale * rnd.nextGaussian();
    }
    return m;
  }

  static double[][] rows(Matrix m) {
    double[][] out = new double[m.rows()][m.cols()];
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        out[i][j] = m.get(i, j);
      }
    }
    return out;
  }

  static List<VoxelBlock> blocks(Matrix y, int shards) {
    int size = (y.cols() + shards - 1) / shards;
    List<VoxelBlock> out = new ArrayList<>();
    for (int first = 0; first < y.cols(); first += size) {
      out.add(new VoxelBlock(first, y.selectColumns(first, Math.min(size, y.cols() - first))));
    }
    return out;
  }

  /** The blocks of a set, sorted and stitched into one voxels x labels row-major array. */
  static double[] stitch(Iterable<ScoreBlock> blocks) {
    List<ScoreBlock> all = new ArrayList<>();
    blocks.forEach(all::add);
    all.sort(Comparator.comparingLong(ScoreBlock::firstRow));
    return all.stream().flatMapToDouble(b -> Arrays.stream(b.scores())).toArray();
  }

  @Test
  void activationsScoresSetsAndMapsComposed(TestPipeline pipeline) {
    Matrix embeddings = randomMatrix(N, F, 1, 1, 0);
    Matrix weights = randomMatrix(F, V, 2, 1, 0);
    Matrix p = randomMatrix(N, L, 3, 0.05, 0.2);
    Matrix q = embeddings.times(weights);
    Dissection spec = Dissection.softWpmi().withTopK(20);
    long[] ffa = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20};
    VoxelSet set = new VoxelSet("ffa", ffa);

    // Brute force on the set's own activation columns: log p(d) over exactly those voxels.
    double[][] qSet = new double[N][ffa.length];
    for (int i = 0; i < N; i++) {
      for (int r = 0; r < ffa.length; r++) {
        qSet[i][r] = q.get(i, (int) ffa[r]);
      }
    }
    double[][] x = BruteForceDissection.logConditional(rows(p), qSet, true, 20, 1, 0.998, 0.97, 1e-7);
    double[][] expected = BruteForceDissection.withPrior(x, 1);

    PCollection<Matrix> embeddingsPc = pipeline.apply("Embeddings", Create.of(embeddings).withCoder(MatrixCoder.of()));
    PCollection<Matrix> pPc = pipeline.apply("P", Create.of(p).withCoder(MatrixCoder.of()));
    PCollection<VoxelBlock> qBlocks = pipeline
        .apply("Weights", Create.of(blocks(weights, 4)).withCoder(VoxelBlock.Coder.of()))
        .apply(ComputeActivations.withEmbeddings(embeddingsPc));
    PCollection<ScoreBlock> raw = qBlocks.apply(ScoreVoxels.withSimilarities(pPc).with(spec));
    PCollection<ScoreBlock> s = raw.apply("FFA", DissectVoxelSet.of(set, spec));
    PCollection<ScoreBlock> union = raw.apply("All", DissectVoxelSet.of(VoxelSet.all(V), spec));
    PCollection<SemanticMap> maps = s.apply(ToSemanticMaps.withLabels(LABELS).withTemperature(0.5)
        .withVoxelSet("ffa").withMethod(spec.toString()));

    PAssert.that(s).satisfies(blocks -> {
      double[] got = stitch(blocks);
      for (int r = 0; r < ffa.length; r++) {
        for (int d = 0; d < L; d++) {
          assertEquals(expected[r][d], got[r * L + d], 1e-10, "voxel " + ffa[r] + " label " + d);
        }
      }
      return null;
    });
    PAssert.that(union).satisfies(blocks -> {
      assertEquals(V * L, stitch(blocks).length);
      return null;
    });
    PAssert.that(maps).satisfies(records -> {
      int n = 0;
      for (SemanticMap m : records) {
        int r = Arrays.binarySearch(ffa, m.getVoxel());
        double[] srow = expected[r];
        int best = 0;
        for (int d = 1; d < L; d++) {
          best = srow[d] > srow[best] ? d : best;
        }
        assertEquals(best, m.getLabel());
        assertEquals(LABELS.get(best), m.getLabelName());
        double z = 0;
        for (double v : srow) {
          z += Math.exp((v - srow[best]) / 0.5);
        }
        assertEquals(1 / z, m.getProbability(), 1e-9);
        assertEquals("ffa", m.getVoxelSet());
        n++;
      }
      assertEquals(ffa.length, n);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void scoresAreBitIdenticalFor1And3And7Shards(TestPipeline pipeline) {
    Matrix p = randomMatrix(N, L, 5, 0.05, 0.2);
    Matrix q = randomMatrix(N, V, 6, 1, 0);
    Dissection spec = Dissection.softWpmi().withTopK(30).withA(10);
    PCollection<Matrix> pPc = pipeline.apply("P", Create.of(p).withCoder(MatrixCoder.of()));
    List<PCollection<ScoreBlock>> runs = new ArrayList<>();
    for (int shards : new int[] {1, 3, 7}) {
      runs.add(pipeline.apply("Q in " + shards, Create.of(blocks(q, shards)).withCoder(VoxelBlock.Coder.of()))
          .apply("Dissect " + shards, DissectVoxels.withSimilarities(pPc).with(spec).forAllVoxels(V)));
    }
    // The reference: one shard through the kernels directly.
    org.clipmsm.dissect.LabelScorer scorer = org.clipmsm.dissect.LabelScorer.prepare(p, spec);
    double[] x = scorer.score(q, 0);
    double[] reference = org.clipmsm.dissect.LabelPrior.subtract(x, V, L,
        org.clipmsm.dissect.LabelPrior.of(x, V, L), spec.lambda());
    for (PCollection<ScoreBlock> run : runs) {
      PAssert.that(run).satisfies(blocks -> {
        double[] got = stitch(blocks);
        for (int i = 0; i < reference.length; i++) {
          assertEquals(Double.doubleToRawLongBits(reference[i]), Double.doubleToRawLongBits(got[i]), "score " + i);
        }
        return null;
      });
    }
    pipeline.run().waitUntilFinish();
  }

  @Test
  void scoresFromASourceReadByTheirWorkersAreBitIdenticalToTheKernel(TestPipeline pipeline,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    Matrix p = randomMatrix(N, L, 5, 0.05, 0.2);
    Matrix i = randomMatrix(N, F, 7, 1, 0);
    Matrix w = randomMatrix(F, V, 8, 0.5, 0);
    java.nio.file.Path iFile = tmp.resolve("I.npy");
    java.nio.file.Path wFile = tmp.resolve("W.npy");
    org.clipmsm.io.Npy.writeMatrix(iFile, i.data(), N, F, org.clipmsm.io.Npy.DType.FLOAT64);
    org.clipmsm.io.Npy.writeMatrix(wFile, w.data(), F, V, org.clipmsm.io.Npy.DType.FLOAT64);
    Dissection spec = Dissection.softWpmi().withTopK(30);
    PCollection<Matrix> pPc = pipeline.apply("P", Create.of(p).withCoder(MatrixCoder.of()));
    PCollection<ScoreBlock> raw = pipeline.apply(ScoreVoxels.withSimilarities(pPc).with(spec)
        .fromSource(ActivationSource.product(iFile.toString(), wFile.toString()), 4));
    // The reference: Q = I W on all voxels at once, scored by the kernel directly.
    double[] reference = org.clipmsm.dissect.LabelScorer.prepare(p, spec).score(i.times(w), 0);
    PAssert.that(raw).satisfies(blocks -> {
      for (ScoreBlock b : blocks) {
        assertTrue(b.rows() <= 4, "blocks of at most 4 voxels");
      }
      double[] got = stitch(blocks);
      assertEquals(reference.length, got.length);
      for (int k = 0; k < reference.length; k++) {
        assertEquals(Double.doubleToRawLongBits(reference[k]), Double.doubleToRawLongBits(got[k]), "score " + k);
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  /** Writes each set's final rows in place into its own pre-allocated rows x labels file. */
  static final class WriteRowsOfSets implements DissectVoxelSets.SetSink {
    private static final long serialVersionUID = 1L;
    private final List<String> files;

    WriteRowsOfSets(List<String> files) {
      this.files = files;
    }

    @Override
    public void write(int set, ScoreBlock rows) {
      org.clipmsm.io.NpyRanges.writeRows(java.nio.file.Path.of(files.get(set)), rows.firstRow(), rows.scores());
    }
  }

  @Test
  void setsDissectedFromTheRawScoresFileAreBitIdenticalToTheKernel(TestPipeline pipeline,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    Matrix p = randomMatrix(N, L, 5, 0.05, 0.2);
    Matrix q = randomMatrix(N, V, 6, 1, 0);
    java.nio.file.Path qFile = tmp.resolve("Q.npy");
    org.clipmsm.io.Npy.writeMatrix(qFile, q.data(), N, V, org.clipmsm.io.Npy.DType.FLOAT64);
    Dissection spec = Dissection.softWpmi().withTopK(30);
    List<VoxelSet> sets = List.of(new VoxelSet("a", new long[] {0, 3, 4, 9, 17, 30}),
        new VoxelSet("b", new long[] {2, 3, 11, 12, 13, 14, 15, 16}), VoxelSet.all(V));
    List<String> files = new ArrayList<>();
    for (VoxelSet set : sets) {
      java.nio.file.Path f = tmp.resolve(set.name() + ".npy");
      org.clipmsm.io.NpyRanges.createMatrix(f, set.size(), L, org.clipmsm.io.Npy.DType.FLOAT64);
      files.add(f.toString());
    }
    RawScoresFile raw = RawScoresFile.create(tmp.resolve("raw.npy").toString(), L, V);
    PCollection<Matrix> pPc = pipeline.apply("P", Create.of(p).withCoder(MatrixCoder.of()));
    PCollection<KV<Integer, TopLabelRows>> top = pipeline
        .apply(ScoreVoxels.withSimilarities(pPc).with(spec).fromSource(ActivationSource.npy(qFile.toString()), 4)
            .writingTo(raw))
        .apply(DissectVoxelSets.of(sets, spec).fromFile(raw, new WriteRowsOfSets(files)));

    // The reference: all voxels scored at once by the kernel, each set's rows and log p(d) taken directly.
    double[] x = org.clipmsm.dissect.LabelScorer.prepare(p, spec).score(q, 0);
    List<double[]> expected = new ArrayList<>();
    for (VoxelSet set : sets) {
      int n = set.size();
      double[] rows = new double[n * L];
      for (int r = 0; r < n; r++) {
        System.arraycopy(x, (int) set.voxels()[r] * L, rows, r * L, L);
      }
      expected.add(org.clipmsm.dissect.LabelPrior.subtract(rows, n, L,
          org.clipmsm.dissect.LabelPrior.of(rows, n, L), spec.lambda()));
    }
    PAssert.that(top).satisfies(blocks -> {
      int[] seen = new int[sets.size()];
      for (KV<Integer, TopLabelRows> e : blocks) {
        int k = e.getKey();
        TopLabelRows t = e.getValue();
        for (int r = 0; r < t.voxels().length; r++) {
          int row = java.util.Arrays.binarySearch(sets.get(k).voxels(), t.voxels()[r]);
          int[] argmax = org.clipmsm.dissect.SemanticMaps.argmax(expected.get(k), sets.get(k).size(), L);
          assertEquals(argmax[row], t.labels()[r], "top label of voxel " + t.voxels()[r] + " in set " + k);
          seen[k]++;
        }
      }
      for (int k = 0; k < sets.size(); k++) {
        assertEquals(sets.get(k).size(), seen[k], "rows of set " + k);
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
    for (int k = 0; k < sets.size(); k++) {
      double[] got = org.clipmsm.io.Npy.readMatrix(java.nio.file.Path.of(files.get(k)));
      int n = sets.get(k).size();
      for (int r = 0; r < n; r++) {
        for (int d = 0; d < L; d++) {
          assertEquals(Double.doubleToRawLongBits(expected.get(k)[r * L + d]),
              Double.doubleToRawLongBits(got[r + d * n]), "set " + k + " row " + r + " label " + d);
        }
      }
    }
  }
}
