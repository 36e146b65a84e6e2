package org.clipmsm.pipelines;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.beam.Signals;

/**
 * Where a {@link StagedPipeline} builds its graph: the Beam {@link Pipeline}, the writes its reads wait for, and the
 * writes it makes. Staged pipelines talk through files (a fit writes weights.npy in place, the dissection reads it),
 * so when several are built into one Beam pipeline (a study) each one's reads must wait for the writes of those whose
 * files it reads ({@link Signals}); a pipeline run alone waits for nothing.
 */
public final class StageGraph {
  private final Pipeline pipeline;
  private final PCollectionView<?> inputsWritten;
  private final List<PCollection<Void>> writes = new ArrayList<>();

  private StageGraph(Pipeline pipeline, PCollectionView<?> inputsWritten) {
    this.pipeline = pipeline;
    this.inputsWritten = inputsWritten;
  }

  /** A graph whose inputs are already there. */
  public static StageGraph of(Pipeline pipeline) {
    return new StageGraph(pipeline, null);
  }

  /**
   * A graph whose inputs are written by steps of the same pipeline, {@code inputsWritten} being ready once they are
   * complete ({@link Signals#done} of their writes).
   */
  public static StageGraph after(Pipeline pipeline, PCollectionView<?> inputsWritten) {
    return new StageGraph(pipeline, inputsWritten);
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** What the reads wait for (the readers' {@code waitFor}); null when the inputs are there already. */
  public PCollectionView<?> inputsWritten() {
    return inputsWritten;
  }

  /** Applies a root (e.g. a {@code Create}) whose elements reach the next step only once the inputs are written. */
  public <T> PCollection<T> begin(String name, PTransform<PBegin, PCollection<T>> root) {
    return Signals.waitFor(pipeline.apply(name, root), inputsWritten);
  }

  /** Records a step that writes outputs; returns it. */
  public PCollection<Void> wrote(PCollection<Void> write) {
    writes.add(write);
    return write;
  }

  /** The steps that write this graph's outputs, for the graphs that read them. */
  public List<PCollection<Void>> writes() {
    return List.copyOf(writes);
  }
}
