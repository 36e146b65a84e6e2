package org.clipmsm.beam;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.embed.KeyedFeatures;

/**
 * Precomputed features as embeddings keyed like {@link EmbedImages}' output: {@code KV<key, float[]>} for each of
 * the wanted keys, looked up by key in a {@code .npy} + keys file ({@link KeyedFeatures}), never by row order. A
 * wanted key the keys file lacks fails the job with a message naming the features file and the key.
 */
public final class ReadKeyedFeatures extends PTransform<PBegin, PCollection<KV<String, float[]>>> {
  private static final long serialVersionUID = 1L;
  private final String features;
  private final String keys;
  private final String column;
  private final List<String> wanted;
  private final transient PCollectionView<?> written;

  private ReadKeyedFeatures(String features, String keys, String column, List<String> wanted,
      PCollectionView<?> written) {
    this.features = features;
    this.keys = keys;
    this.column = column;
    this.wanted = wanted;
    this.written = written;
  }

  /** All rows of the features file, keyed by its keys file ({@code column} null: found as KeyedFeatures says). */
  public static ReadKeyedFeatures from(String features, String keys, String column) {
    return new ReadKeyedFeatures(features, keys, column, null, null);
  }

  /** Only these keys (e.g. the images of a subject's responses), in any order. */
  public ReadKeyedFeatures forKeys(List<String> keysWanted) {
    return new ReadKeyedFeatures(features, keys, column, List.copyOf(keysWanted), written);
  }

  /**
   * Reads the files only once this view is ready ({@link Signals#done} of the writes of the steps that make them); the
   * wanted keys must then be given ({@link #forKeys}), as the keys file is not read before.
   */
  public ReadKeyedFeatures waitFor(PCollectionView<?> inputsWritten) {
    return new ReadKeyedFeatures(features, keys, column, wanted, inputsWritten);
  }

  @Override
  public PCollection<KV<String, float[]>> expand(PBegin begin) {
    if (wanted == null && written != null) {
      throw new IllegalStateException("ReadKeyedFeatures.waitFor needs forKeys: the keys file is not there yet");
    }
    List<String> k = wanted != null ? wanted : KeyedFeatures.readKeys(Path.of(keys), column);
    return Signals.waitFor(begin.apply("Keys", Create.of(k).withCoder(StringUtf8Coder.of())), written)
        .apply("Look up", ParDo.of(new LookUp(features, keys, column)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), FloatArrayCoder.of()));
  }

  static final class LookUp extends DoFn<String, KV<String, float[]>> {
    private static final long serialVersionUID = 1L;
    private final String features;
    private final String keys;
    private final String column;
    private transient KeyedFeatures table;

    LookUp(String features, String keys, String column) {
      this.features = features;
      this.keys = keys;
      this.column = column;
    }

    @ProcessElement
    public void process(@Element String key, OutputReceiver<KV<String, float[]>> out) {
      // Read with the first key, not in @Setup: a reader waiting for the files' writer is set up before they exist.
      if (table == null) {
        table = KeyedFeatures.read(Path.of(features), Path.of(keys), column);
      }
      out.output(KV.of(key, table.row(key)));
    }
  }
}
