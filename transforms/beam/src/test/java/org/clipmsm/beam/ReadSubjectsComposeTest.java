package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.nod.NodPrepare;
import org.clipmsm.nsd.NsdPrepare;
import org.clipmsm.nsd.ResponsePreprocessing;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.synth.NodSynth;
import org.clipmsm.synth.NsdSynth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset readers composed with the encoding transforms the way a user would: a synthetic subject read by
 * {@code ReadNsdSubject} / {@code ReadNodSubject}, fitted from its planted image content. The blocks equal the
 * kernels', and the planted content explains the responses (positive test R^2 in most voxels).
 */
@ExtendWith(TestPipelineExtension.class)
class ReadSubjectsComposeTest {
  @TempDir
  Path tmp;

  private static void assertBlocksAndFits(PCollection<VoxelBlock> responses, PCollection<Matrix> features,
      Matrix expected) {
    PAssert.that(responses).satisfies(blocks -> {
      int seen = 0;
      for (VoxelBlock b : blocks) {
        Matrix want = expected.selectColumns((int) b.firstVoxel(), b.voxels());
        assertArrayEquals(want.data(), b.values().data(), 0, "block at " + b.firstVoxel());
        seen += b.voxels();
      }
      assertEquals(expected.cols(), seen);
      return null;
    });
    PCollection<RidgeBlockResult> fits = responses.apply(FitEncodingModels.withFeatures(features)
        .withSplit(SplitSpec.defaults().withSeed(42)).withAlphas("0.01,0.1,1,10,100"));
    PAssert.that(fits).satisfies(results -> {
      List<Double> r2 = new ArrayList<>();
      for (RidgeBlockResult r : results) {
        Arrays.stream(r.r2()).forEach(r2::add);
      }
      long positive = r2.stream().filter(x -> x > 0).count();
      assertTrue(positive > 0.8 * r2.size(), positive + " of " + r2.size() + " voxels with R^2 > 0");
      return null;
    });
  }

  @Test
  void nsdSubjectFitsFromItsPlantedContent(TestPipeline pipeline) {
    Path root = tmp.resolve("nsd");
    NsdSynth.write(root, new NsdSynth.Spec(4, 1, 250, 1, 60, new int[] {10, 12, 8}, 16));
    List<String> rois = List.of("floc-faces", "floc-bodies", "floc-places", "floc-words");
    ReadNsdSubject read = ReadNsdSubject.from(root, 1, rois).withVoxelsPerBlock(16);
    // Rows follow ascending nsdId; truth/content.npy's row is the nsdId.
    Matrix content = new Matrix(250, 5, Npy.readMatrix(root.resolve("truth/content.npy")));
    Matrix expected = NsdPrepare.block(read.subject(), read.subject().rois().voxels(),
        ResponsePreprocessing.ZScore.SESSION);
    PCollection<VoxelBlock> responses = pipeline.apply("Read NSD", read);
    PCollection<Matrix> features = pipeline.apply("Content", Create.of(content).withCoder(MatrixCoder.of()));
    assertBlocksAndFits(responses, features, expected);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void nodSubjectFitsFromItsPlantedContent(TestPipeline pipeline) {
    Path root = tmp.resolve("nod");
    NodSynth.write(root, new NodSynth.Spec(6, 1, 1, 2, 100, 12, 3, 48, 400, 16));
    ReadNodSubject read = ReadNodSubject.from(root, 1).withVoxelsPerBlock(20);
    // truth/content.npy rows are in prepare's row order (truth/stimuli.txt).
    Matrix content = new Matrix(212, 5, Npy.readMatrix(root.resolve("truth/content.npy")));
    Matrix expected = NodPrepare.block(read.subject(), read.subject().rois().voxels());
    PCollection<VoxelBlock> responses = pipeline.apply("Read NOD", read);
    PCollection<Matrix> features = pipeline.apply("Content", Create.of(content).withCoder(MatrixCoder.of()));
    assertBlocksAndFits(responses, features, expected);
    pipeline.run().waitUntilFinish();
  }
}
