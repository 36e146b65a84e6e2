package org.clipmsm.pipelines.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.clipmsm.beam.Signals;
import org.clipmsm.pipelines.StageGraph;
import org.clipmsm.pipelines.StagedPipeline;

/**
 * A whole study as ONE Beam pipeline. Each job (one staged pipeline of one subject or model: a subject's prepare, a
 * model's embeddings, a subject's fit of one model, ...) is expanded into it under a composite named after the job, so
 * that the same pipeline's steps get distinct names per subject; its reads wait for the writes of the jobs whose files
 * it reads ({@link StageGraph}) and for nothing else, so the runner overlaps what does not depend on each other (one
 * subject's fit with another's embeddings) and parallelises across subjects as well as across voxel blocks. A job is
 * added after the jobs it reads from: their expansion has created the files it reads (their shapes; tables known
 * before running), so it is checked against them before anything runs. {@link #run} runs the pipeline once, then
 * finishes the jobs on the driver in the order they were added. Outputs go straight under the study's staged
 * directory, which the study commits as a whole.
 */
final class StudyGraph {
  private final Pipeline pipeline;
  private final List<Job<?>> jobs = new ArrayList<>();

  StudyGraph(PipelineOptions options) {
    this.pipeline = Pipeline.create(options);
  }

  /** One job in the graph: its pipeline, where its outputs go, its writes, and after {@link #run} its summary. */
  static final class Job<S> {
    final String name;
    final StagedPipeline<?, S> pipeline;
    final Path out;
    List<PCollection<Void>> writes = List.of();
    S summary;

    private Job(String name, StagedPipeline<?, S> pipeline, Path out) {
      this.name = name;
      this.pipeline = pipeline;
      this.out = out;
    }

    S summary() {
      if (summary == null) {
        throw new IllegalStateException(name + " has not run");
      }
      return summary;
    }
  }

  /**
   * Expands {@code pipeline} into the study's pipeline, writing under {@code out} (an existing directory, or a file),
   * its reads waiting for the writes of {@code after}.
   */
  <S> Job<S> add(String name, StagedPipeline<?, S> pipeline, Path out, List<? extends Job<?>> after) {
    List<PCollection<Void>> inputsWritten = new ArrayList<>();
    for (Job<?> j : after) {
      inputsWritten.addAll(j.writes);
    }
    Job<S> job = new Job<>(name, pipeline, out);
    // One view per job that all its reads share: ready once every write of the jobs it reads from is complete.
    StageGraph graph = inputsWritten.isEmpty() ? StageGraph.of(this.pipeline) : StageGraph.after(this.pipeline,
        this.pipeline.apply(name + ": inputs written", Signals.done(inputsWritten)));
    this.pipeline.apply(name, new Expand(pipeline, graph, out));
    job.writes = graph.writes();
    jobs.add(job);
    return job;
  }

  int size() {
    return jobs.size();
  }

  /** Runs the pipeline once, then finishes every job in the order added. */
  void run() {
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the study's pipeline ended " + state + ", not DONE");
    }
    for (Job<?> job : jobs) {
      finish(job);
    }
  }

  private static <S> void finish(Job<S> job) {
    job.summary = job.pipeline.finish(job.out);
  }

  /** A staged pipeline's graph under a composite of its own. */
  private static final class Expand extends PTransform<PBegin, PDone> {
    private static final long serialVersionUID = 1L;
    private final transient StagedPipeline<?, ?> pipeline;
    private final transient StageGraph graph;
    private final transient Path out;

    Expand(StagedPipeline<?, ?> pipeline, StageGraph graph, Path out) {
      this.pipeline = pipeline;
      this.graph = graph;
      this.out = out;
    }

    @Override
    public PDone expand(PBegin begin) {
      pipeline.expand(graph, out);
      return PDone.in(begin.getPipeline());
    }
  }
}
