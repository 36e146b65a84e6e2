package org.clipmsm.beam;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * A side input of one large value (the prepared similarities P' of 10,000 images x 20,000 labels: 1.6 GB), shipped
 * as numbered chunks of its encoding ({@link #CHUNK_BYTES} each) in a list view and decoded once per worker JVM.
 * {@code View.asSingleton} sends the whole value through a global combine, whose sort buffer on Flink rejects a
 * record larger than its memory (here from 321 MB: P' of 5,000 labels failed, 1,200 passed); a list view is broadcast
 * as it is, and chunks keep every record small and the encoding free of Java's 2 GB array limit.
 *
 * <pre>{@code
 * ChunkedSideInput<Matrix> p = ChunkedSideInput.of(similarities);   // one Matrix, with its coder
 * blocks.apply(ParDo.of(new DoFn<VoxelBlock, Out>() {
 *   @ProcessElement public void process(ProcessContext c) { Matrix m = p.get(c); ... }
 * }).withSideInputs(p.view()));
 * }</pre>
 */
public final class ChunkedSideInput<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Bytes per chunk: small for any runner's buffers, large enough that 1.6 GB is some 200 records. */
  static final int CHUNK_BYTES = 8 << 20;
  /** Decoded values per JVM, by side input; soft, so that memory pressure can drop one and it is decoded again. */
  private static final Map<String, SoftReference<Object>> DECODED = new ConcurrentHashMap<>();
  private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

  private final PCollectionView<List<KV<Integer, byte[]>>> view;
  private final Coder<T> coder;
  private final String id;
  private transient T held;

  private ChunkedSideInput(PCollectionView<List<KV<Integer, byte[]>>> view, Coder<T> coder, String id) {
    this.view = view;
    this.coder = coder;
    this.id = id;
  }

  /** @param single a PCollection of exactly one value, encoded in chunks by its own coder */
  public static <T> ChunkedSideInput<T> of(PCollection<T> single) {
    Coder<T> coder = single.getCoder();
    if (!(single.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("ChunkedSideInput: " + single.getName() + " must be in the global window"
          + " (its decoded value is shared across the JVM, not kept per window)");
    }
    PCollectionView<List<KV<Integer, byte[]>>> view = single
        .apply("Encode in chunks", ParDo.of(new Encode<>(coder)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("Chunks as side input", View.asList());
    return new ChunkedSideInput<>(view, coder, UUID.randomUUID().toString());
  }

  /** The view to list in {@code withSideInputs}. */
  public PCollectionView<List<KV<Integer, byte[]>>> view() {
    return view;
  }

  /**
   * The value, decoded on first use in this JVM and then shared by every thread. Each DoFn instance holds it
   * strongly while it lives (its own deserialised copy of this object caches it); across instances the JVM-wide
   * copy is soft, so a finished pipeline's value can be collected.
   */
  @SuppressWarnings("unchecked")
  public T get(DoFn<?, ?>.ProcessContext c) {
    T v = held;
    if (v != null) {
      return v;
    }
    synchronized (LOCKS.computeIfAbsent(id, k -> new Object())) {
      SoftReference<Object> ref = DECODED.get(id);
      v = ref == null ? null : (T) ref.get();
      if (v == null) {
        v = decode(c.sideInput(view), coder);
        DECODED.put(id, new SoftReference<>(v));
      }
    }
    held = v;
    return v;
  }

  /** Decodes chunks in any order (they carry their index). */
  static <T> T decode(List<KV<Integer, byte[]>> chunks, Coder<T> coder) {
    if (chunks.isEmpty()) {
      throw new IllegalStateException("a chunked side input is empty (expected exactly one value)");
    }
    List<KV<Integer, byte[]>> sorted = new ArrayList<>(chunks);
    sorted.sort(Comparator.comparing(KV::getKey));
    List<InputStream> streams = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).getKey() != i) {
        throw new IllegalStateException("a chunked side input has " + (sorted.get(i).getKey() < i
            ? "chunk " + sorted.get(i).getKey() + " twice (expected exactly one value)"
            : "no chunk " + i + " of " + sorted.size()));
      }
      streams.add(new ByteArrayInputStream(sorted.get(i).getValue()));
    }
    try (InputStream in = new SequenceInputStream(Collections.enumeration(streams))) {
      return coder.decode(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a side input", e);
    }
  }

  private static final class Encode<T> extends DoFn<T, KV<Integer, byte[]>> {
    private static final long serialVersionUID = 1L;
    private final Coder<T> coder;

    Encode(Coder<T> coder) {
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element T value, OutputReceiver<KV<Integer, byte[]>> out) throws IOException {
      try (ChunkingStream s = new ChunkingStream(out)) {
        coder.encode(value, s);
      }
    }
  }

  /** Emits every {@link #CHUNK_BYTES} written as one numbered chunk, the rest on close. */
  private static final class ChunkingStream extends OutputStream {
    private final DoFn.OutputReceiver<KV<Integer, byte[]>> out;
    private final byte[] buf = new byte[CHUNK_BYTES];
    private int used;
    private int index;

    ChunkingStream(DoFn.OutputReceiver<KV<Integer, byte[]>> out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      if (used == buf.length) {
        flushChunk();
      }
      buf[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        if (used == buf.length) {
          flushChunk();
        }
        int n = Math.min(len, buf.length - used);
        System.arraycopy(b, off, buf, used, n);
        used += n;
        off += n;
        len -= n;
      }
    }

    private void flushChunk() {
      out.output(KV.of(index++, Arrays.copyOf(buf, used)));
      used = 0;
    }

    @Override
    public void close() {
      if (used > 0 || index == 0) {
        flushChunk();
      }
    }
  }
}
