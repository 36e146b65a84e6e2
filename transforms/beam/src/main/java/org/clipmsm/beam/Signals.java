package org.clipmsm.beam;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sample;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.Never;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Ordering between steps that talk through files rather than PCollections. {@link #done} turns the outputs of the
 * steps that write some files (the {@code PCollection<Void>} of a writing {@code ParDo}) into one view that is ready
 * only once they are all complete; a reader placed after {@link #waitFor} with that view sees its elements only then.
 * This is the mechanism of Beam's {@code Wait.on}, with the signals gathered once so that several readers share one
 * view instead of each materialising every signal again.
 *
 * <pre>{@code
 * PCollectionView<?> written = pipeline.apply("Weights written", Signals.done(List.of(writeBlocks)));
 * PCollection<VoxelBlock> w = pipeline.apply(ReadVoxelBlocks.from("fit/weights.npy").waitFor(written));
 * }</pre>
 */
public final class Signals {
  private Signals() {}

  /** A view ready once every one of {@code writes} is complete; its contents mean nothing. */
  public static PTransform<org.apache.beam.sdk.values.PBegin, PCollectionView<List<Void>>> done(
      List<PCollection<Void>> writes) {
    return new Done(writes);
  }

  /** {@code in} itself when {@code done} is null, else {@code in} held back until {@code done} is ready. */
  public static <T> PCollection<T> waitFor(PCollection<T> in, PCollectionView<?> done) {
    if (done == null) {
      return in;
    }
    return in.apply("Wait for inputs", ParDo.of(new Pass<T>(done)).withSideInputs(done)).setCoder(in.getCoder());
  }

  private static final class Done extends PTransform<org.apache.beam.sdk.values.PBegin,
      PCollectionView<List<Void>>> {
    private static final long serialVersionUID = 1L;
    private final transient List<PCollection<Void>> writes;

    Done(List<PCollection<Void>> writes) {
      this.writes = writes;
    }

    @Override
    public PCollectionView<List<Void>> expand(org.apache.beam.sdk.values.PBegin begin) {
      PCollection<Void> all = writes.size() == 1 ? writes.get(0)
          : PCollectionList.of(writes).apply("All writes", Flatten.pCollections());
      // As Wait.on: fire only when the window closes (the writes are complete), and carry at most one element.
      return all.apply("When complete", Window.<Void>configure().triggering(Never.ever()).discardingFiredPanes())
          .apply("Any", Sample.any(1))
          .apply("As view", View.asList());
    }
  }

  /** Passes its input through once the side input is ready. */
  private static final class Pass<T> extends DoFn<T, T> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<?> done;

    Pass(PCollectionView<?> done) {
      this.done = done;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.sideInput(done);
      c.output(c.element());
    }
  }
}
