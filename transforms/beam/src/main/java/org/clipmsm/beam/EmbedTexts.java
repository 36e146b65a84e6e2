package org.clipmsm.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.embed.ClipTokenizer;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.ModelPool;
import org.clipmsm.embed.ModelRef;

/**
 * Text embeddings of labels through a CLIP text encoder, keyed by label: {@code PCollection<String>} of labels in,
 * {@code KV<label, float[]>} out (CLIP's encode_text, not normalised). Each label becomes a prompt through the
 * template ({@code "{}"}, the bare label, by default: the method's prompt; e.g. {@code "a photo of {}"}), then CLIP's
 * BPE tokens (context 77). Model loaded once per worker; batches deterministic as in {@link EmbedImages}.
 */
public final class EmbedTexts extends PTransform<PCollection<String>, PCollection<KV<String, float[]>>> {
  /** Labels per forward pass unless {@link #withBatchSize} says otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 64;
  /** The prompt unless {@link #withTemplate} says otherwise: the bare label, as the method scores it. */
  public static final String BARE_LABEL = "{}";
  private static final long serialVersionUID = 1L;
  private final ModelRef model;
  private final String template;
  private final int batchSize;
  private final int shards;

  private EmbedTexts(ModelRef model, String template, int batchSize, int shards) {
    this.model = model;
    this.template = template;
    this.batchSize = batchSize;
    this.shards = shards;
  }

  public static EmbedTexts with(ModelRef model) {
    return new EmbedTexts(model, BARE_LABEL, DEFAULT_BATCH_SIZE, 4);
  }

  public EmbedTexts withTemplate(String t) {
    ClipTokenizer.prompt(t, "");
    return new EmbedTexts(model, t, batchSize, shards);
  }

  public EmbedTexts withBatchSize(int n) {
    if (n < 1) {
      throw new InvalidParameterException("batchSize", "expected at least 1, got " + n);
    }
    return new EmbedTexts(model, template, n, shards);
  }

  public EmbedTexts withShards(int n) {
    return new EmbedTexts(model, template, batchSize, Math.max(1, n));
  }

  @Override
  public PCollection<KV<String, float[]>> expand(PCollection<String> labels) {
    int n = shards;
    return labels
        .apply("Shard", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.strings()))
            .via(l -> KV.of(EmbedImages.shard(l, n), l)))
        .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
        .apply("Group shards", GroupByKey.create())
        .apply("Embed", ParDo.of(new EmbedFn(model, template, batchSize)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), FloatArrayCoder.of()));
  }

  static final class EmbedFn extends DoFn<KV<Integer, Iterable<String>>, KV<String, float[]>> {
    private static final long serialVersionUID = 1L;
    private final ModelRef ref;
    private final String template;
    private final int batchSize;
    private transient EmbeddingModel model;

    EmbedFn(ModelRef ref, String template, int batchSize) {
      this.ref = ref;
      this.template = template;
      this.batchSize = batchSize;
    }

    @Setup
    public void setup() {
      model = ModelPool.borrow(ref);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> shard, OutputReceiver<KV<String, float[]>> out) {
      List<String> labels = new ArrayList<>();
      shard.getValue().forEach(labels::add);
      labels.sort(null);
      ClipTokenizer tok = model.tokenizer();
      for (int start = 0; start < labels.size(); start += batchSize) {
        List<String> batch = labels.subList(start, Math.min(labels.size(), start + batchSize));
        long[][] ids = new long[batch.size()][];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = tok.encode(ClipTokenizer.prompt(template, batch.get(i)));
        }
        float[][] rows = model.embedTexts(ids);
        for (int i = 0; i < ids.length; i++) {
          out.output(KV.of(batch.get(i), rows[i]));
        }
      }
    }

    @Teardown
    public void teardown() {
      if (model != null) {
        ModelPool.giveBack(model);
        model = null;
      }
    }
  }
}
