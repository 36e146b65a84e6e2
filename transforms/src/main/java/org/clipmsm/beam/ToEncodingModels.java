package org.clipmsm.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.schemas.EncodingModel;

/**
 * One Avro {@link EncodingModel} record per voxel from fitted blocks (p, q, significance and noise ceiling left
 * null: they come from later stages).
 *
 * <pre>{@code
 * PCollection<EncodingModel> models = fits.apply(ToEncodingModels.create());
 * models.apply(AvroIO.write(EncodingModel.class).to("models").withSuffix(".avro"));
 * }</pre>
 */
public final class ToEncodingModels extends PTransform<PCollection<RidgeBlockResult>, PCollection<EncodingModel>> {
  private static final long serialVersionUID = 1L;

  public static ToEncodingModels create() {
    return new ToEncodingModels();
  }

  /** The records of one block, in voxel order. */
  public static List<EncodingModel> records(RidgeBlockResult b) {
    List<EncodingModel> out = new ArrayList<>(b.voxels());
    int p = b.weights().rows();
    for (int j = 0; j < b.voxels(); j++) {
      List<Double> w = new ArrayList<>(p);
      for (int i = 0; i < p; i++) {
        w.add(b.weights().get(i, j));
      }
      out.add(EncodingModel.newBuilder().setVoxel(b.firstVoxel() + j).setWeights(w).setBias(b.bias()[j])
          .setAlpha(b.alpha()[j]).setR2(b.r2()[j]).setR(b.r()[j]).build());
    }
    return out;
  }

  @Override
  public PCollection<EncodingModel> expand(PCollection<RidgeBlockResult> fits) {
    return fits.apply("To EncodingModel records", ParDo.of(new DoFn<RidgeBlockResult, EncodingModel>() {
      private static final long serialVersionUID = 1L;

      @ProcessElement
      public void process(@Element RidgeBlockResult b, OutputReceiver<EncodingModel> out) {
        records(b).forEach(out::output);
      }
    })).setCoder(AvroCoder.of(EncodingModel.class));
  }
}
