package org.clipmsm.pipelines.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PDone;
import org.clipmsm.beam.Progress;
import org.clipmsm.pipelines.StagedPipeline;

/**
 * One stage of a study as one Beam pipeline: the stage's pipelines of every subject (and model) expanded side by side
 * into a single {@link Pipeline}, each as a composite named after its job (so that the same pipeline's steps get
 * distinct names per subject), run once, then finished on the driver job by job. The runner parallelises across
 * subjects as well as across each subject's voxel blocks. Outputs go straight under the study's staged directory,
 * which the study commits as a whole.
 */
final class StudyStage {
  private StudyStage() {}

  /** One pipeline of the stage and where its outputs go. */
  record Job<S>(String name, StagedPipeline<?, S> pipeline, Path out) {}

  static <S> List<S> run(PipelineOptions options, String stage, List<Job<S>> jobs, Progress progress) {
    long t0 = System.nanoTime();
    Pipeline p = Pipeline.create(options);
    for (Job<S> job : jobs) {
      try {
        Files.createDirectories(job.out());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      p.apply(job.name(), new Expand(job.pipeline(), job.out()));
    }
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the " + stage + " pipeline ended " + state + ", not DONE");
    }
    List<S> out = new ArrayList<>();
    for (Job<S> job : jobs) {
      out.add(job.pipeline().finish(job.out()));
    }
    progress.note(stage, jobs.size() + " job(s) in one pipeline, " + String.format("%.1f s",
        (System.nanoTime() - t0) / 1e9));
    return out;
  }

  /** A staged pipeline's graph under a composite of its own. */
  private static final class Expand extends PTransform<PBegin, PDone> {
    private static final long serialVersionUID = 1L;
    private final transient StagedPipeline<?, ?> pipeline;
    private final transient Path out;

    Expand(StagedPipeline<?, ?> pipeline, Path out) {
      this.pipeline = pipeline;
      this.out = out;
    }

    @Override
    public PDone expand(PBegin begin) {
      pipeline.expand(begin.getPipeline(), out);
      return PDone.in(begin.getPipeline());
    }
  }
}
