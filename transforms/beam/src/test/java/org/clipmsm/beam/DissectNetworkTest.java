package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.netdissect.ConceptTable;
import org.clipmsm.netdissect.MapGeometry;
import org.clipmsm.netdissect.NetDissect;
import org.clipmsm.netdissect.NetDissection;
import org.clipmsm.netdissect.ProbeAnnotation;
import org.clipmsm.netdissect.VoxelLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DissectNetwork} composed as a user composes it: blocks of weights in, one {@link NetDissectBlock} per block
 * out, equal to the kernel's dissection of all voxels at once ({@link NetDissect#dissect}, itself checked against a
 * brute force in the core module), whatever the blocks.
 */
@ExtendWith(TestPipelineExtension.class)
class DissectNetworkTest {
  static final MapGeometry GEOMETRY = new MapGeometry(3, 4, 5);
  static final int IMAGES = 17;
  static final int VOXELS = 11;

  /** Probe images held in the source itself (a user's own source would read them from files where it runs). */
  record InMemoryProbes(float[] dense, List<ProbeAnnotation> annotations, ConceptTable concepts)
      implements ProbeSource {
    @Override
    public MapGeometry geometry() {
      return GEOMETRY;
    }

    @Override
    public NetDissect.Probes open() {
      return NetDissect.Probes.inMemory(dense, annotations);
    }
  }

  static InMemoryProbes probes() {
    Random rnd = new Random(5);
    float[] dense = new float[(int) GEOMETRY.values(IMAGES)];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = (float) rnd.nextGaussian();
    }
    int concepts = 9;
    int[] categoryOf = {-1, 0, 0, 1, 1, 2, -1, 2, 0};
    List<ProbeAnnotation> annotations = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      int sh = 6 + rnd.nextInt(5);
      int sw = 7 + rnd.nextInt(4);
      int[] plane = new int[sh * sw];
      for (int p = 0; p < plane.length; p++) {
        plane[p] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(concepts);
      }
      annotations.add(new ProbeAnnotation(sh, sw, List.of(plane), i % 3 == 0 ? new int[] {4} : new int[0],
          new int[] {0, 1, 2}));
    }
    return new InMemoryProbes(dense, annotations, new ConceptTable(List.of("object", "part", "scene"), categoryOf));
  }

  static Matrix weights() {
    Random rnd = new Random(6);
    Matrix w = Matrix.zeros(GEOMETRY.features(), VOXELS);
    for (int i = 0; i < w.data().length; i++) {
      w.data()[i] = rnd.nextGaussian();
    }
    return w;
  }

  @Test
  void blocksOfVoxelsGetTheKernelsDissectionOfAllVoxels(TestPipeline pipeline) throws Exception {
    InMemoryProbes probes = probes();
    Matrix w = weights();
    NetDissection spec = NetDissection.defaults().withQuantile(0.05);
    NetDissect.Result all = NetDissect.dissect(probes.dense(), GEOMETRY, w, probes.annotations(), probes.concepts(),
        spec, VOXELS);
    List<VoxelBlock> blocks = new ArrayList<>();
    for (int first = 0; first < VOXELS; first += 4) {
      blocks.add(new VoxelBlock(first, w.selectColumns(first, Math.min(4, VOXELS - first))));
    }
    PCollection<NetDissectBlock> out = pipeline.apply(Create.of(blocks).withCoder(VoxelBlock.Coder.of()))
        .apply(DissectNetwork.over(probes).with(spec));
    // What the kernel gave, in serializable form for the check that runs in the pipeline.
    int concepts = probes.concepts().concepts() - 1;
    double[] thresholds = all.thresholds();
    ArrayList<VoxelLabel> labels = new ArrayList<>(all.labels());
    double[][] ious = new double[VOXELS][concepts];
    for (int v = 0; v < VOXELS; v++) {
      for (int c = 1; c <= concepts; c++) {
        ious[v][c - 1] = probes.concepts().category(c) < 0 ? 0 : all.iou(v, c);
      }
    }
    PAssert.that(out).satisfies(got -> {
      int seen = 0;
      for (NetDissectBlock b : got) {
        for (int v = 0; v < b.voxels(); v++) {
          int voxel = (int) b.firstVoxel() + v;
          assertEquals(thresholds[voxel], b.thresholds()[v], 0, "T of voxel " + voxel);
          assertEquals(labels.get(voxel), b.labels().get(v), "label of voxel " + voxel);
          for (int c = 1; c <= concepts; c++) {
            assertEquals(ious[voxel][c - 1], b.iou()[v * concepts + c - 1], 0, "IoU of voxel " + voxel + ", concept "
                + c);
          }
          seen++;
        }
      }
      assertEquals(VOXELS, seen);
      return null;
    });
    pipeline.run().waitUntilFinish();
    // A label that is not interpretable and one that is, so the threshold flag is exercised.
    assertEquals(2, all.labels().stream().map(VoxelLabel::interpretable).distinct().count(), all.labels().toString());
  }

  @Test
  void theBlockCoderRoundTrips() throws Exception {
    NetDissectBlock b = new NetDissectBlock(42, new double[] {0.5, -1.25}, new double[] {0.1, 0, 0.3, Double.NaN},
        List.of(new VoxelLabel(3, 1, 0.1, true), new VoxelLabel(0, -1, 0, false)));
    NetDissectBlock back = CoderUtils.decodeFromByteArray(NetDissectBlock.Coder.of(),
        CoderUtils.encodeToByteArray(NetDissectBlock.Coder.of(), b));
    assertEquals(42, back.firstVoxel());
    assertArrayEquals(b.thresholds(), back.thresholds());
    assertArrayEquals(b.iou(), back.iou());
    assertEquals(b.labels(), back.labels());
    SerializableCoder.of(InMemoryProbes.class); // the source must be serializable to reach the workers
  }
}
