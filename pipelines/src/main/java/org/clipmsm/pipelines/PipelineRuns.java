package org.clipmsm.pipelines;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.clipmsm.pipelines.output.OutputDirectory;
import org.clipmsm.pipelines.output.OutputFile;

/**
 * Runs a {@link StagedPipeline} from start to commit: stage the output, build the graph into a new pipeline with
 * these options, run it, finish on the driver, commit. On any failure the output is as it was before.
 */
public final class PipelineRuns {
  private PipelineRuns() {}

  /** A pipeline whose result is the directory {@code out}. */
  public static <S> S toDirectory(PipelineOptions options, Path out, StagedPipeline<?, S> job) {
    try (OutputDirectory dir = OutputDirectory.open(out, job.inputs())) {
      S summary = run(options, dir.dir(), job);
      dir.commit();
      return summary;
    }
  }

  /** A pipeline whose result is the single file {@code out}. */
  public static <S> S toFile(PipelineOptions options, Path out, StagedPipeline<?, S> job) {
    try (OutputFile file = OutputFile.open(out, job.inputs())) {
      S summary = run(options, file.staged(), job);
      file.commit();
      return summary;
    }
  }

  /**
   * Runs {@code job} into {@code staged}, a location that an enclosing run stages and commits (a study writing
   * several pipelines' outputs into one result).
   */
  public static <S> S into(PipelineOptions options, Path staged, StagedPipeline<?, S> job) {
    return run(options, staged, job);
  }

  private static <S> S run(PipelineOptions options, Path staged, StagedPipeline<?, S> job) {
    Pipeline p = Pipeline.create(options);
    job.expand(StageGraph.of(p), staged);
    // A detached Flink job reports a failure as its state rather than an exception: never finish on top of it.
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended " + state + ", not DONE");
    }
    return job.finish(staged);
  }
}
