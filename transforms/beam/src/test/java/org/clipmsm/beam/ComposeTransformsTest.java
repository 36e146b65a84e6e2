package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.ridge.AlphaGrid;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.RidgeDecomposition;
import org.clipmsm.ridge.RidgeSolver;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.schemas.EncodingModel;
import org.clipmsm.stats.BenjaminiHochberg;
import org.clipmsm.stats.Bootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The public transforms composed the way a user composes them in a pipeline of their own. */
@ExtendWith(TestPipelineExtension.class)
class ComposeTransformsTest {
  private static final int N = 150;
  private static final int P = 9;
  private static final int V = 23;

  private static Matrix features() {
    Random rnd = new Random(11);
    Matrix x = Matrix.zeros(N, P);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = rnd.nextGaussian() + 1;
    }
    return x;
  }

  private static Matrix responses(Matrix x) {
    Random rnd = new Random(12);
    Matrix w = Matrix.zeros(P, V);
    for (int i = 0; i < w.data().length; i++) {
      w.data()[i] = rnd.nextGaussian() * 0.3;
    }
    Matrix y = x.times(w);
    for (int j = 0; j < V; j++) {
      double noise = 0.2 + 3.0 * j / V;
      for (int i = 0; i < N; i++) {
        y.set(i, j, y.get(i, j) + noise * rnd.nextGaussian());
      }
    }
    return y;
  }

  private static List<VoxelBlock> blocks(Matrix y, int size) {
    List<VoxelBlock> out = new ArrayList<>();
    for (int first = 0; first < y.cols(); first += size) {
      out.add(new VoxelBlock(first, y.selectColumns(first, Math.min(size, y.cols() - first))));
    }
    return out;
  }

  @Test
  void fitThenSignificanceThenFdr(TestPipeline pipeline) {
    Matrix x = features();
    Matrix y = responses(x);
    SplitSpec split = SplitSpec.defaults().withSeed(7);
    String alphas = "0.01,0.1,1,10,100,1000";

    PCollection<Matrix> featuresPc = pipeline.apply("Features", Create.of(x).withCoder(MatrixCoder.of()));
    PCollection<VoxelBlock> blocks =
        pipeline.apply("Responses", Create.of(blocks(y, 7)).withCoder(VoxelBlock.Coder.of()));
    PCollection<RidgeBlockResult> fits =
        blocks.apply(FitEncodingModels.withFeatures(featuresPc).withSplit(split).withAlphas(alphas));
    PCollection<EncodingModel> models = fits.apply(ToEncodingModels.create());
    PCollection<SignificanceBlock> sig = fits
        .apply("To prediction blocks", MapElements.into(TypeDescriptor.of(PredictionBlock.class))
            .via(PredictionBlock::of))
        .setCoder(PredictionBlock.Coder.of())
        .apply(TestSignificance.create().withBootstraps(400).withSeed(41));
    PCollection<VoxelValues> p = sig
        .apply("p-values", MapElements.into(TypeDescriptor.of(VoxelValues.class)).via(SignificanceBlock::pValues))
        .setCoder(VoxelValues.Coder.of());
    PCollection<VoxelValues> q = p.apply(AdjustFdr.create());
    PCollection<EncodingModel> fullRecords = fits.apply("Records with significance", ToEncodingModels.create()
        .withSignificance(p.apply("p by voxel", GatherVoxelValues.asView()),
            q.apply("q by voxel", GatherVoxelValues.asView()), 0.05));

    // Independent expectation: the kernel on all voxels at once, the bootstrap and BH on the whole test set.
    RidgeDecomposition d = RidgeDecomposition.compute(x, split.toSplit(N), AlphaGrid.parse(alphas, P));
    RidgeBlockResult whole = RidgeSolver.solve(d, 0, y);
    double[] expectedP = Bootstrap.resamples(whole.testResponses().rows(), 400, 41)
        .pValues(whole.testPredictions(), whole.testResponses());
    double[] expectedQ = BenjaminiHochberg.adjust(expectedP);

    PAssert.that(models).satisfies(records -> {
      List<EncodingModel> list = new ArrayList<>();
      records.forEach(list::add);
      list.sort(Comparator.comparingLong(EncodingModel::getVoxel));
      assertEquals(V, list.size());
      for (int j = 0; j < V; j++) {
        EncodingModel m = list.get(j);
        assertEquals(j, m.getVoxel());
        assertEquals(whole.alpha()[j], m.getAlpha(), 0);
        assertEquals(whole.r2()[j], m.getR2(), 1e-10);
        assertEquals(whole.bias()[j], m.getBias(), 1e-12);
        assertEquals(whole.intercept()[j], m.getIntercept(), 1e-10 * (1 + Math.abs(whole.intercept()[j])));
        for (int i = 0; i < P; i++) {
          assertEquals(whole.weights().get(i, j), m.getWeights().get(i), 1e-10);
        }
      }
      return null;
    });
    PAssert.that(q).satisfies(qs -> {
      double[] got = new double[V];
      int count = 0;
      for (VoxelValues b : qs) {
        for (int j = 0; j < b.values().length; j++) {
          got[(int) b.firstVoxel() + j] = b.values()[j];
          count++;
        }
      }
      assertEquals(V, count);
      for (int j = 0; j < V; j++) {
        assertEquals(expectedQ[j], got[j], 1e-12, "q of voxel " + j);
      }
      return null;
    });
    PAssert.that(fullRecords).satisfies(records -> {
      int count = 0;
      for (EncodingModel m : records) {
        int j = (int) m.getVoxel();
        assertEquals(expectedP[j], m.getP(), 1e-12);
        assertEquals(expectedQ[j], m.getQ(), 1e-12);
        assertEquals(expectedQ[j] <= 0.05, m.getSignificant());
        assertEquals(null, m.getNoiseCeiling());
        count++;
      }
      assertEquals(V, count);
      return null;
    });
    pipeline.run().waitUntilFinish();
    // The example has significant and non-significant voxels, so the q check is not vacuous.
    boolean[] sigFlags = BenjaminiHochberg.significant(expectedQ, 0.05);
    int nsig = 0;
    for (boolean s : sigFlags) {
      nsig += s ? 1 : 0;
    }
    assertTrue(nsig > 0 && nsig < V, "significant voxels: " + nsig);
  }

  /** Writes the responses to {@code file}; returns the kernel's fit of all voxels at once, the reference. */
  private static RidgeBlockResult responsesFileAndWholeFit(Matrix x, SplitSpec split, String alphas,
      java.nio.file.Path file) {
    Matrix y = responses(x);
    Npy.writeMatrix(file, y.data(), N, V, Npy.DType.FLOAT64);
    return RidgeSolver.solve(RidgeDecomposition.compute(x, split.toSplit(N), AlphaGrid.parse(alphas, P)), 0, y);
  }

  @Test
  void fitsOfBlocksReadFromTheFileByTheirWorkersEqualTheKernelOnAllVoxels(TestPipeline pipeline,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    Matrix x = features();
    SplitSpec split = SplitSpec.defaults().withSeed(7);
    String alphas = "0.01,0.1,1,10,100,1000";
    java.nio.file.Path file = tmp.resolve("Y.npy");
    RidgeBlockResult whole = responsesFileAndWholeFit(x, split, alphas, file);

    PCollection<Matrix> featuresPc = pipeline.apply("Features", Create.of(x).withCoder(MatrixCoder.of()));
    PCollection<RidgeBlockResult> fits = pipeline.apply(FitEncodingModels.withFeatures(featuresPc).withSplit(split)
        .withAlphas(alphas).fromFile(file.toString(), 7));
    PAssert.that(fits).satisfies(blocks -> {
      int voxels = 0;
      for (RidgeBlockResult b : blocks) {
        assertTrue(b.voxels() <= 7, "blocks of at most 7 voxels");
        for (int j = 0; j < b.voxels(); j++) {
          int v = (int) b.firstVoxel() + j;
          assertEquals(whole.alpha()[v], b.alpha()[j], 0);
          assertEquals(whole.r2()[v], b.r2()[j], 1e-10);
          for (int i = 0; i < P; i++) {
            assertEquals(whole.weights().get(i, v), b.weights().get(i, j), 1e-10);
          }
          voxels++;
        }
      }
      assertEquals(V, voxels);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  /** Writes each fitted block's weights and test predictions in place into two pre-allocated files. */
  static final class WriteColumns implements FitEncodingModels.BlockSink {
    private static final long serialVersionUID = 1L;
    private final String weights;
    private final String predictions;

    WriteColumns(String weights, String predictions) {
      this.weights = weights;
      this.predictions = predictions;
    }

    @Override
    public void write(RidgeBlockResult b) {
      int first = (int) b.firstVoxel();
      NpyRanges.writeColumns(java.nio.file.Path.of(weights), first, b.weights().data(), b.voxels());
      NpyRanges.writeColumns(java.nio.file.Path.of(predictions), first, b.testPredictions().data(), b.voxels());
    }
  }

  @Test
  void fitsWrittenByTheirWorkersThenBootstrapFromTheWrittenPredictions(TestPipeline pipeline,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    Matrix x = features();
    SplitSpec split = SplitSpec.defaults().withSeed(7);
    String alphas = "0.01,0.1,1,10,100,1000";
    java.nio.file.Path file = tmp.resolve("Y.npy");
    RidgeBlockResult whole = responsesFileAndWholeFit(x, split, alphas, file);
    double[] expectedP = Bootstrap.resamples(whole.testResponses().rows(), 400, 41)
        .pValues(whole.testPredictions(), whole.testResponses());
    java.nio.file.Path weights = tmp.resolve("weights.npy");
    java.nio.file.Path predictions = tmp.resolve("pred_test.npy");
    int testRows = split.toSplit(N).testRows().length;
    NpyRanges.createMatrix(weights, P, V, Npy.DType.FLOAT64);
    NpyRanges.createMatrix(predictions, testRows, V, Npy.DType.FLOAT64);

    PCollection<Matrix> featuresPc = pipeline.apply("Features", Create.of(x).withCoder(MatrixCoder.of()));
    PCollection<KV<Long, Integer>> written = pipeline.apply(FitEncodingModels.withFeatures(featuresPc)
        .withSplit(split).withAlphas(alphas).fromFile(file.toString(), 7)
        .writingTo(new WriteColumns(weights.toString(), predictions.toString())));
    PCollection<SignificanceBlock> sig = written.apply(TestSignificance.create().withBootstraps(400).withSeed(41)
        .fromSource(PredictionSource.testRowsOf(predictions.toString(), file.toString(),
            split.toSplit(N).testRows())));
    PAssert.that(written).satisfies(ranges -> {
      boolean[] seen = new boolean[V];
      for (KV<Long, Integer> r : ranges) {
        assertTrue(r.getValue() <= 7, "ranges of at most 7 voxels");
        for (int j = 0; j < r.getValue(); j++) {
          assertTrue(!seen[(int) (r.getKey() + j)], "voxel " + (r.getKey() + j) + " once");
          seen[(int) (r.getKey() + j)] = true;
        }
      }
      for (int v = 0; v < V; v++) {
        assertTrue(seen[v], "voxel " + v + " fitted");
      }
      return null;
    });
    PAssert.that(sig).satisfies(blocks -> {
      int count = 0;
      for (SignificanceBlock b : blocks) {
        for (int j = 0; j < b.pValues().values().length; j++) {
          int v = (int) b.firstVoxel() + j;
          assertEquals(expectedP[v], b.pValues().values()[j], 0, "p of voxel " + v);
          assertEquals(whole.r2()[v], b.r2()[j], 1e-10, "R2 of voxel " + v);
          count++;
        }
      }
      assertEquals(V, count);
      return null;
    });
    pipeline.run().waitUntilFinish();
    double[] w = Npy.readMatrix(weights);
    for (int v = 0; v < V; v++) {
      for (int i = 0; i < P; i++) {
        assertEquals(whole.weights().get(i, v), w[i + v * P], 1e-10, "weight " + i + " of voxel " + v);
      }
    }
  }

  @Test
  void noiseCeilingComposes(TestPipeline pipeline) {
    PCollection<VoxelValues> nc = pipeline
        .apply(Create.of(new VoxelValues(0, new double[] {1.0, 0.5}), new VoxelValues(2, new double[] {Double.NaN}))
            .withCoder(VoxelValues.Coder.of()))
        .apply(ComputeNoiseCeiling.forTrials(3));
    PAssert.that(nc).satisfies(vs -> {
      for (VoxelValues v : vs) {
        if (v.firstVoxel() == 0) {
          assertEquals(75.0, v.values()[0], 1e-12);
          assertEquals(100 * 0.25 / (0.25 + 1 / 3.0), v.values()[1], 1e-12);
        } else {
          assertTrue(Double.isNaN(v.values()[0]));
        }
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
