package org.clipmsm.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.schemas.EncodingModel;

/**
 * One Avro {@link EncodingModel} record per voxel from fitted blocks. p, q, significant and the noise ceiling are
 * filled when their per-voxel values are given (as {@link GatherVoxelValues} side inputs), else left null.
 *
 * <pre>{@code
 * PCollection<EncodingModel> models = fits.apply(ToEncodingModels.create());
 * PCollection<EncodingModel> full = fits.apply(ToEncodingModels.create()
 *     .withSignificance(p.apply(GatherVoxelValues.asView()), q.apply(GatherVoxelValues.asView()), 0.05)
 *     .withNoiseCeiling(nc.apply(GatherVoxelValues.asView())));
 * models.apply(AvroIO.write(EncodingModel.class).to("models").withSuffix(".avro"));
 * }</pre>
 */
public final class ToEncodingModels extends PTransform<PCollection<RidgeBlockResult>, PCollection<EncodingModel>> {
  private static final long serialVersionUID = 1L;

  private final transient PCollectionView<List<Double>> p;
  private final transient PCollectionView<List<Double>> q;
  private final double fdrLevel;
  private final transient PCollectionView<List<Double>> noiseCeiling;

  private ToEncodingModels(PCollectionView<List<Double>> p, PCollectionView<List<Double>> q, double fdrLevel,
      PCollectionView<List<Double>> noiseCeiling) {
    this.p = p;
    this.q = q;
    this.fdrLevel = fdrLevel;
    this.noiseCeiling = noiseCeiling;
  }

  public static ToEncodingModels create() {
    return new ToEncodingModels(null, null, 0, null);
  }

  /** Bootstrap p and BH q per voxel; significant = q <= fdrLevel. */
  public ToEncodingModels withSignificance(PCollectionView<List<Double>> pByVoxel,
      PCollectionView<List<Double>> qByVoxel, double level) {
    return new ToEncodingModels(pByVoxel, qByVoxel, level, noiseCeiling);
  }

  /** Noise ceiling (%) per voxel. */
  public ToEncodingModels withNoiseCeiling(PCollectionView<List<Double>> ncByVoxel) {
    return new ToEncodingModels(p, q, fdrLevel, ncByVoxel);
  }

  /** The side inputs the records need. */
  public List<PCollectionView<?>> sideInputs() {
    List<PCollectionView<?>> views = new ArrayList<>();
    for (PCollectionView<?> v : java.util.Arrays.asList(p, q, noiseCeiling)) {
      if (v != null) {
        views.add(v);
      }
    }
    return views;
  }

  /** The records of one block with the per-voxel side values this transform was given (read in {@code c}). */
  public RecordMaker recordMaker() {
    return new RecordMaker(p, q, fdrLevel, noiseCeiling);
  }

  /** Builds a block's records inside a DoFn that declared {@link #sideInputs()}. */
  public static final class RecordMaker implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<List<Double>> p;
    private final PCollectionView<List<Double>> q;
    private final double fdrLevel;
    private final PCollectionView<List<Double>> noiseCeiling;

    RecordMaker(PCollectionView<List<Double>> p, PCollectionView<List<Double>> q, double fdrLevel,
        PCollectionView<List<Double>> noiseCeiling) {
      this.p = p;
      this.q = q;
      this.fdrLevel = fdrLevel;
      this.noiseCeiling = noiseCeiling;
    }

    public List<EncodingModel> records(RidgeBlockResult b, DoFn<?, ?>.ProcessContext c) {
      List<EncodingModel> out = ToEncodingModels.records(b);
      List<Double> pv = p == null ? null : c.sideInput(p);
      List<Double> qv = q == null ? null : c.sideInput(q);
      List<Double> nc = noiseCeiling == null ? null : c.sideInput(noiseCeiling);
      for (EncodingModel m : out) {
        int v = (int) m.getVoxel();
        if (pv != null) {
          m.setP(pv.get(v));
          m.setQ(qv.get(v));
          m.setSignificant(qv.get(v) <= fdrLevel);
        }
        if (nc != null) {
          if (v >= nc.size()) {
            throw new org.clipmsm.InvalidInputException("ncsnr: " + nc.size() + " voxels, but the responses have"
                + " voxel " + v + " (expected one ncsnr per voxel)");
          }
          m.setNoiseCeiling(nc.get(v));
        }
      }
      return out;
    }
  }

  /** The records of one block, in voxel order (p, q, significant, noise ceiling null). */
  public static List<EncodingModel> records(RidgeBlockResult b) {
    List<EncodingModel> out = new ArrayList<>(b.voxels());
    int p = b.weights().rows();
    for (int j = 0; j < b.voxels(); j++) {
      List<Double> w = new ArrayList<>(p);
      for (int i = 0; i < p; i++) {
        w.add(b.weights().get(i, j));
      }
      out.add(EncodingModel.newBuilder().setVoxel(b.firstVoxel() + j).setWeights(w).setBias(b.bias()[j])
          .setIntercept(b.intercept()[j]).setAlpha(b.alpha()[j]).setR2(b.r2()[j]).setR(b.r()[j]).build());
    }
    return out;
  }

  @Override
  public PCollection<EncodingModel> expand(PCollection<RidgeBlockResult> fits) {
    RecordMaker maker = recordMaker();
    return fits.apply("To EncodingModel records", ParDo.of(new DoFn<RidgeBlockResult, EncodingModel>() {
      private static final long serialVersionUID = 1L;

      @ProcessElement
      public void process(ProcessContext c) {
        maker.records(c.element(), c).forEach(c::output);
      }
    }).withSideInputs(sideInputs())).setCoder(AvroCoder.of(EncodingModel.class));
  }
}
