package org.clipmsm.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.dissect.SemanticMaps;
import org.clipmsm.schemas.SemanticMap;

/**
 * Scores S to one Avro {@link SemanticMap} per voxel (docs/method.md §4): the CLIP-MSM multi-semantic map softmax(S /
 * temperature) over labels, and the CLIP-Dissect label argmax S (first on ties) with its name and weight.
 *
 * <pre>{@code
 * PCollection<SemanticMap> maps = scores.apply(ToSemanticMaps.withLabels(List.of("faces", "bodies", "places",
 *     "words", "food")).withTemperature(1.0).withVoxelSet("ffa").withMethod(spec.toString()));
 * }</pre>
 */
public final class ToSemanticMaps extends PTransform<PCollection<ScoreBlock>, PCollection<SemanticMap>> {
  private static final long serialVersionUID = 1L;
  private final Maker maker;

  private ToSemanticMaps(Maker maker) {
    this.maker = maker;
  }

  /** @param labels label names in label order, or null to leave {@code labelName} empty */
  public static ToSemanticMaps withLabels(List<String> labels) {
    return new ToSemanticMaps(new Maker(labels == null ? null : new ArrayList<>(labels), 1.0, "all", ""));
  }

  public ToSemanticMaps withTemperature(double t) {
    SemanticMaps.softmax(new double[] {0}, 1, 1, t); // checks t
    return new ToSemanticMaps(new Maker(maker.labels, t, maker.voxelSet, maker.method));
  }

  public ToSemanticMaps withVoxelSet(String name) {
    return new ToSemanticMaps(new Maker(maker.labels, maker.temperature, name, maker.method));
  }

  public ToSemanticMaps withMethod(String description) {
    return new ToSemanticMaps(new Maker(maker.labels, maker.temperature, maker.voxelSet, description));
  }

  /** The record maker, for writers that compute the maps of a block once and also write them elsewhere. */
  public Maker maker() {
    return maker;
  }

  @Override
  public PCollection<SemanticMap> expand(PCollection<ScoreBlock> scores) {
    Maker m = maker;
    return scores.apply("Semantic maps", ParDo.of(new DoFn<ScoreBlock, SemanticMap>() {
      private static final long serialVersionUID = 1L;

      @ProcessElement
      public void process(@Element ScoreBlock b, OutputReceiver<SemanticMap> out) {
        Maps maps = m.maps(b);
        for (SemanticMap r : m.records(b, maps)) {
          out.output(r);
        }
      }
    })).setCoder(AvroCoder.of(SemanticMap.class));
  }

  /** The maps of a block: msm (row-major, as the scores) and argmax per row. */
  public record Maps(double[] msm, int[] argmax) {}

  /** Turns score blocks into maps and records. */
  public static final class Maker implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final ArrayList<String> labels;
    private final double temperature;
    private final String voxelSet;
    private final String method;

    Maker(ArrayList<String> labels, double temperature, String voxelSet, String method) {
      this.labels = labels;
      this.temperature = temperature;
      this.voxelSet = voxelSet;
      this.method = method;
    }

    public double temperature() {
      return temperature;
    }

    /** The name of label d (its index without a label file). */
    public String labelName(int d) {
      return d < 0 ? "" : labels == null ? Integer.toString(d) : labels.get(d);
    }

    public Maps maps(ScoreBlock b) {
      return new Maps(SemanticMaps.softmax(b.scores(), b.rows(), b.labels(), temperature),
          SemanticMaps.argmax(b.scores(), b.rows(), b.labels()));
    }

    public List<SemanticMap> records(ScoreBlock b, Maps maps) {
      int l = b.labels();
      List<SemanticMap> out = new ArrayList<>(b.rows());
      for (int r = 0; r < b.rows(); r++) {
        List<Double> s = new ArrayList<>(l);
        List<Double> m = new ArrayList<>(l);
        for (int d = 0; d < l; d++) {
          s.add(b.scores()[r * l + d]);
          m.add(maps.msm()[r * l + d]);
        }
        int top = maps.argmax()[r];
        out.add(SemanticMap.newBuilder()
            .setVoxel(b.voxels()[r])
            .setVoxelSet(voxelSet)
            .setMethod(method)
            .setLabel(top)
            .setLabelName(labels == null || top < 0 ? null : labels.get(top))
            .setProbability(top < 0 ? Double.NaN : maps.msm()[r * l + top])
            .setTemperature(temperature)
            .setScores(s)
            .setMsm(m)
            .build());
      }
      return out;
    }
  }
}
