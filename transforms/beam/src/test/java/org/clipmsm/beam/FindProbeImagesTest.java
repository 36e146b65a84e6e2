package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The probe images of a voxel set, composed as a user composes the dissection, against a brute force. */
@ExtendWith(TestPipelineExtension.class)
class FindProbeImagesTest {
  static final int N = 120;
  static final int V = 40;
  static final int L = 4;

  @TempDir
  Path tmp;

  /** A set's scores, winner, counts, winner's voxels and exact activation sums, by brute force from the kernels. */
  record Expected(double[] scores, int winner, long[] counts, long members, double[] sums)
      implements java.io.Serializable {}

  /**
   * Brute force: the set's scores from the kernels, argmax per voxel, counts, the winner (most voxels, lower label on
   * ties), and per image the exact sum of the winner's voxels' activations rounded once.
   */
  static Expected expected(Matrix p, Matrix q, Dissection spec, long[] voxels) {
    org.clipmsm.dissect.LabelScorer scorer = org.clipmsm.dissect.LabelScorer.prepare(p, spec);
    Matrix qSet = Matrix.zeros(N, voxels.length);
    for (int r = 0; r < voxels.length; r++) {
      for (int i = 0; i < N; i++) {
        qSet.set(i, r, q.get(i, (int) voxels[r]));
      }
    }
    double[] x = scorer.score(qSet, 0);
    double[] s = org.clipmsm.dissect.LabelPrior.subtract(x, voxels.length, L,
        org.clipmsm.dissect.LabelPrior.of(x, voxels.length, L), spec.lambda());
    int[] top = org.clipmsm.dissect.SemanticMaps.argmax(s, voxels.length, L);
    long[] counts = new long[L];
    for (int a : top) {
      counts[a]++;
    }
    int winner = 0;
    for (int d = 1; d < L; d++) {
      winner = counts[d] > counts[winner] ? d : winner;
    }
    List<Integer> members = new ArrayList<>();
    for (int r = 0; r < voxels.length; r++) {
      if (top[r] == winner) {
        members.add((int) voxels[r]);
      }
    }
    double[] sums = new double[N];
    for (int i = 0; i < N; i++) {
      BigDecimal sum = BigDecimal.ZERO;
      for (int v : members) {
        sum = sum.add(new BigDecimal(q.get(i, v)));
      }
      sums[i] = sum.doubleValue();
    }
    return new Expected(s, winner, counts, members.size(), sums);
  }

  static void assertProbes(Expected want, FindProbeImages.Probes got) {
    assertEquals(want.winner(), got.winner());
    assertArrayEquals(want.counts(), got.counts());
    assertEquals(want.members(), got.members());
    for (int i = 0; i < N; i++) {
      assertEquals(Double.doubleToLongBits(want.sums()[i]), Double.doubleToLongBits(got.sums()[i]), "image " + i);
    }
  }

  @Test
  void winnerCountsAndExactActivationSumsForAnySharding(TestPipeline pipeline) {
    Matrix p = DissectTransformsTest.randomMatrix(N, L, 11, 0.05, 0.2);
    Matrix q = DissectTransformsTest.randomMatrix(N, V, 12, 1, 0);
    Dissection spec = Dissection.softWpmi().withTopK(15);
    long[] voxels = {1, 2, 3, 5, 8, 13, 21, 22, 23, 30, 34, 39};
    VoxelSet set = new VoxelSet("set", voxels);
    Expected want = expected(p, q, spec, voxels);

    PCollection<Matrix> pPc = pipeline.apply("P", Create.of(p).withCoder(MatrixCoder.of()));
    Path qFile = tmp.resolve("Q.npy");
    Npy.writeMatrix(qFile, q.data(), N, V, Npy.DType.FLOAT64);
    ActivationSource qSource = ActivationSource.npy(qFile.toString());
    for (int shards : new int[] {1, 3, 7}) {
      PCollection<VoxelBlock> qBlocks = pipeline.apply("Q " + shards,
          Create.of(DissectTransformsTest.blocks(q, shards)).withCoder(VoxelBlock.Coder.of()));
      int block = (V + shards - 1) / shards;
      PCollection<FindProbeImages.Probes> probes = qBlocks
          .apply("Score " + shards, ScoreVoxels.withSimilarities(pPc).with(spec))
          .apply("Set " + shards, DissectVoxelSet.of(set, spec))
          .apply("Probes " + shards, FindProbeImages.withActivations(qSource, V, N, L).withVoxelsPerBlock(block));
      PAssert.thatSingleton(probes).satisfies(got -> {
        assertProbes(want, got);
        return null;
      });
    }
    pipeline.run().waitUntilFinish();
  }

  @Test
  void severalOverlappingSetsInOneGraphEachMatchTheirBruteForce(TestPipeline pipeline) {
    Matrix p = DissectTransformsTest.randomMatrix(N, L, 13, 0.05, 0.2);
    Matrix q = DissectTransformsTest.randomMatrix(N, V, 14, 1, 0);
    Dissection spec = Dissection.softWpmi().withTopK(15);
    List<long[]> voxels = List.of(new long[] {1, 2, 3, 5, 8, 13, 21, 22, 23, 30, 34, 39},
        new long[] {0, 3, 4, 5, 6, 7, 30, 31, 32, 33}, VoxelSet.all(V).voxels(), new long[] {17});
    List<VoxelSet> sets = new ArrayList<>();
    List<Expected> want = new ArrayList<>();
    for (int k = 0; k < voxels.size(); k++) {
      sets.add(new VoxelSet("set" + k, voxels.get(k)));
      want.add(expected(p, q, spec, voxels.get(k)));
    }
    PCollection<Matrix> pPc = pipeline.apply("P", Create.of(p).withCoder(MatrixCoder.of()));
    Path qFile = tmp.resolve("Q.npy");
    Npy.writeMatrix(qFile, q.data(), N, V, Npy.DType.FLOAT64);
    PCollection<KV<Integer, ScoreBlock>> scores = pipeline
        .apply("Q", Create.of(DissectTransformsTest.blocks(q, 5)).withCoder(VoxelBlock.Coder.of()))
        .apply("Score", ScoreVoxels.withSimilarities(pPc).with(spec))
        .apply("Sets", DissectVoxelSets.of(sets, spec));
    PCollection<KV<Integer, FindProbeImages.Probes>> probes = scores.apply("Probes",
        FindProbeImages.withActivations(ActivationSource.npy(qFile.toString()), V, N, L).withVoxelsPerBlock(4)
            .perSet(sets.size()));
    PAssert.that(scores).satisfies(got -> {
      for (int k = 0; k < sets.size(); k++) {
        List<ScoreBlock> mine = new ArrayList<>();
        for (KV<Integer, ScoreBlock> e : got) {
          if (e.getKey() == k) {
            mine.add(e.getValue());
          }
        }
        double[] s = DissectTransformsTest.stitch(mine);
        assertEquals(want.get(k).scores().length, s.length, "set " + k);
        for (int i = 0; i < s.length; i++) {
          assertEquals(Double.doubleToLongBits(want.get(k).scores()[i]), Double.doubleToLongBits(s[i]),
              "set " + k + " entry " + i);
        }
      }
      return null;
    });
    PAssert.that(probes).satisfies(got -> {
      int n = 0;
      for (KV<Integer, FindProbeImages.Probes> e : got) {
        assertProbes(want.get(e.getKey()), e.getValue());
        n++;
      }
      assertEquals(sets.size(), n, "one Probes per set");
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
