package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;

/**
 * A pipeline whose results are files: {@link #expand} builds its graph into a Beam pipeline, writing every output
 * under a location it is given (a staging directory, or a staged file, that becomes the result only when everything
 * has succeeded), and returns its main PCollections for whoever composes further; {@link #finish} runs on the driver
 * after the pipeline, completing the outputs (merging parts, derived files) and saying what the run produced. Instances
 * are made from one immutable settings value, after their inputs have been checked, so that bad input fails before
 * anything runs. {@link PipelineRuns} runs one from start to commit.
 *
 * @param <O> the PCollections the graph returns
 * @param <S> the summary of a finished run
 */
public interface StagedPipeline<O, S> {
  /** The input files, which the output may neither be nor hold. */
  List<Path> inputs();

  /**
   * Builds the graph into {@code graph}'s pipeline, its reads waiting for {@code graph}'s inputs to be written and its
   * writes recorded there; every output goes under {@code out}. What is known before the pipeline runs (the shapes of
   * the outputs, which are created here; tables that follow from the settings alone) is written here, so that a
   * pipeline built after this one in the same Beam pipeline can be checked against it before anything runs.
   */
  O expand(StageGraph graph, Path out);

  /** On the driver after the pipeline has run: completes the outputs under {@code out}. */
  S finish(Path out);
}
