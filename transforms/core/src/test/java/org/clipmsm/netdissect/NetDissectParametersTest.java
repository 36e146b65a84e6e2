package org.clipmsm.netdissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad parameters fail with a one-line message that names the parameter as the code calls it, never a flag. */
class NetDissectParametersTest {
  static void assertRejects(String parameter, String fragment, Executable call) {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, call);
    assertEquals(parameter, e.parameter(), e.getMessage());
    assertTrue(e.getMessage().startsWith(parameter + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertFalse(e.getMessage().contains("--") || e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void quantileMustBeStrictlyBetweenZeroAndOne() {
    for (double q : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      assertRejects("quantile", "strictly between 0 and 1", () -> NetDissection.defaults().withQuantile(q));
      assertRejects("quantile", "got " + q, () -> UpperQuantiles.create(3, 100, q));
    }
    assertEquals(0.01, NetDissection.defaults().withQuantile(0.01).quantile());
    assertRejects("iouThreshold", "got -0.5", () -> NetDissection.defaults().withIouThreshold(-0.5));
    assertRejects("iouThreshold", "got NaN", () -> NetDissection.defaults().withIouThreshold(Double.NaN));
    assertRejects("level", "got 2.0", () -> NumpyQuantile.linear(new float[] {1}, 2.0));
    assertRejects("values", "at least one", () -> NumpyQuantile.linear(new float[0], 0.5));
  }

  @Test
  void thresholdsNeedEveryValueOnceAndFiniteValues() {
    assertRejects("count", "positive", () -> UpperQuantiles.create(3, 0, 0.005));
    UpperQuantiles q = UpperQuantiles.create(2, 3, 0.005);
    q.add(new float[] {1, 2, 3, 4});
    assertRejects("count", "declared 3 values per voxel, but 2 were added", q::thresholds);
    assertRejects("maps", "more than the declared 3", () -> q.add(new float[] {1, 2, 3, 4}));
    assertRejects("maps", "rows of 2 values", () -> q.add(new float[] {1, 2, 3}));
    assertRejects("maps", "finite", () -> UpperQuantiles.create(1, 5, 0.1).add(new float[] {1, Float.NaN}));
    assertRejects("other", "accumulator of 2 voxels", () -> q.merge(UpperQuantiles.create(3, 3, 0.005)));
  }

  @Test
  void mapsNeedConsistentShapes() {
    MapGeometry g = new MapGeometry(2, 3, 4);
    Matrix w = Matrix.zeros(4, 5);
    assertRejects("dense", "expected 2 x 2 x 3 x 4 = 48 values, got 47",
        () -> ActivationMaps.compute(new float[47], 2, g, w));
    assertRejects("weights", "expected 4 rows", () -> ActivationMaps.compute(new float[48], 2, g, Matrix.zeros(3, 5)));
    float[] nan = new float[48];
    nan[29] = Float.NaN;
    assertRejects("dense", "image 1, position 1, feature 1", () -> ActivationMaps.compute(nan, 2, g, w));
    Matrix inf = Matrix.zeros(4, 5);
    inf.set(2, 3, Double.POSITIVE_INFINITY);
    assertRejects("weights", "feature 2, voxel 3", () -> ActivationMaps.compute(new float[48], 2, g, inf));
    assertRejects("height/width", "got 0 x 3", () -> new MapGeometry(0, 3, 4));
    assertRejects("features", "got -1", () -> new MapGeometry(2, 3, -1));
  }

  @Test
  void annotationsAndTallyNeedConsistentShapes() {
    ConceptTable table = new ConceptTable(List.of("object"), new int[] {-1, 0, 0});
    assertRejects("categoryOf", "number 0", () -> new ConceptTable(List.of("object"), new int[] {0, 0}));
    assertRejects("categoryOf", "concept 1 has category 3", () -> new ConceptTable(List.of("object"),
        new int[] {-1, 3}));
    assertRejects("planes", "plane 1 has 5 labels, expected 2 x 3 = 6",
        () -> new ProbeAnnotation(2, 3, List.of(new int[6], new int[5]), new int[0], new int[0]));
    assertRejects("imageConcepts", "got 0", () -> new ProbeAnnotation(1, 1, List.of(), new int[] {0}, new int[0]));
    assertRejects("thresholds", "got NaN for voxel 1",
        () -> ConceptTally.create(table, new double[] {0, Double.NaN}, NetDissection.UnitArea.ANNOTATED_IMAGES));
    ConceptTally t = ConceptTally.create(table, new double[] {0, 0}, NetDissection.UnitArea.ANNOTATED_IMAGES);
    ProbeAnnotation ok = new ProbeAnnotation(2, 2, List.of(new int[] {0, 1, 2, 1}), new int[0], new int[] {0});
    assertRejects("maps", "expected 1 images x 1 x 2 x 2 voxels = 4 values, got 3",
        () -> t.add(new float[3], 1, 2, List.of(ok)));
    ProbeAnnotation bad = new ProbeAnnotation(2, 2, List.of(new int[] {0, 1, 7, 1}), new int[0], new int[0]);
    assertRejects("annotation", "label 7 at pixel (1, 0) of plane 0 is not in the concept table (numbers 0..2)",
        () -> t.add(new float[4], 1, 2, List.of(bad)));
    ProbeAnnotation badScalar = new ProbeAnnotation(1, 1, List.of(), new int[] {3}, new int[0]);
    assertRejects("annotation", "image-level concept 3", () -> t.add(new float[4], 1, 2, List.of(badScalar)));
    float[] inf = {0, Float.POSITIVE_INFINITY, 0, 0};
    assertRejects("maps", "Infinity at position 0 for voxel 1", () -> t.add(inf, 1, 2, List.of(ok)));
    assertTrue(t.sameCounts(ConceptTally.create(table, new double[] {0, 0}, NetDissection.UnitArea.ANNOTATED_IMAGES)),
        "a rejected image leaves the tally as it was");
    t.add(new float[] {1, 1, 1, 1}, 1, 2, List.of(ok));
    assertEquals(2, t.conceptArea(1), "and it still counts right");
    assertRejects("voxelsPerChunk", "got 0", () -> NetDissect.dissect(new float[4], new MapGeometry(1, 1, 4),
        Matrix.zeros(4, 2), List.of(ok), table, NetDissection.defaults(), 0));
    assertRejects("outWidth/outHeight", "got 0 x 3", () -> PilFloatResize.resize(new float[4], 2, 2, 3, 0));
  }
}
