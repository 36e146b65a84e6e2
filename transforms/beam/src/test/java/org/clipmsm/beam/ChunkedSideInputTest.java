package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.linalg.Matrix;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ChunkedSideInputTest {
  /** 1,300 x 1,000 doubles: 10.4 MB encoded, so two chunks. */
  private static Matrix big() {
    Random rnd = new Random(5);
    Matrix m = Matrix.zeros(1300, 1000);
    for (int i = 0; i < m.data().length; i++) {
      m.data()[i] = rnd.nextGaussian();
    }
    return m;
  }

  @Test
  void aValueLargerThanAChunkArrivesWhole(TestPipeline p) {
    Matrix m = big();
    ChunkedSideInput<Matrix> side = ChunkedSideInput.of(p.apply("M", Create.of(m).withCoder(MatrixCoder.of())));
    // Each element reads one entry of the side input; the expected values are read from the matrix directly.
    PCollection<Double> read = p.apply("Indices", Create.of(0, 777_777, 1_299_999))
        .apply(ParDo.of(new ReadEntry(side)).withSideInputs(side.view()));
    PAssert.that(read).containsInAnyOrder(m.data()[0], m.data()[777_777], m.data()[1_299_999]);
    p.run().waitUntilFinish();
  }

  private static final class ReadEntry extends DoFn<Integer, Double> {
    private final ChunkedSideInput<Matrix> side;

    ReadEntry(ChunkedSideInput<Matrix> side) {
      this.side = side;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.output(side.get(c).data()[c.element()]);
    }
  }

  @Test
  void chunksDecodeInAnyOrder() throws Exception {
    Matrix m = big();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MatrixCoder.of().encode(m, bytes);
    byte[] all = bytes.toByteArray();
    assertTrue(all.length > ChunkedSideInput.CHUNK_BYTES);
    List<KV<Integer, byte[]>> chunks = new ArrayList<>();
    for (int i = 0, at = 0; at < all.length; i++, at += ChunkedSideInput.CHUNK_BYTES) {
      chunks.add(KV.of(i, Arrays.copyOfRange(all, at, Math.min(all.length, at + ChunkedSideInput.CHUNK_BYTES))));
    }
    Collections.reverse(chunks);
    assertArrayEquals(m.data(), ChunkedSideInput.decode(chunks, MatrixCoder.of()).data());
  }

  @Test
  void twoValuesOrNoneAreNamedAsSuch() {
    KV<Integer, byte[]> c0 = KV.of(0, new byte[] {1});
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> ChunkedSideInput.decode(List.of(c0, c0), MatrixCoder.of()));
    assertTrue(twice.getMessage().contains("chunk 0 twice"), twice.getMessage());
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> ChunkedSideInput.decode(List.of(), MatrixCoder.of()));
    assertTrue(none.getMessage().contains("empty"), none.getMessage());
  }

  @Test
  void onlyTheGlobalWindow(TestPipeline p) {
    PCollection<Matrix> windowed = p.apply(Create.of(Matrix.zeros(1, 1)).withCoder(MatrixCoder.of()))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    assertThrows(IllegalArgumentException.class, () -> ChunkedSideInput.of(windowed));
    p.enableAbandonedNodeEnforcement(false);
  }
}
