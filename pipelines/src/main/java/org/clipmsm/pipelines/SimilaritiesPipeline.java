package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.io.NpyRanges;
import org.clipmsm.linalg.Matrix;

/**
 * {@link SimilaritiesJob}'s P as a step of a larger pipeline, for when the embeddings it reads are written by earlier
 * steps of the same pipeline (a study): the shapes are checked and P.npy created before anything runs, and one worker
 * computes P once the embeddings are written and writes it in place. Alone, {@link SimilaritiesJob#run} does the same
 * on the driver.
 *
 * <pre>{@code
 * StageGraph g = StageGraph.after(pipeline, featuresWritten);   // Signals.done of the writes of the embeddings
 * SimilaritiesPipeline.of(new SimilaritiesJob.Settings(features, text, p)).expand(g, p);
 * }</pre>
 */
public final class SimilaritiesPipeline implements StagedPipeline<PCollection<Void>, Integer> {
  private final SimilaritiesJob.Settings settings;
  private final int images;
  private final int labels;

  private SimilaritiesPipeline(SimilaritiesJob.Settings settings, int images, int labels) {
    this.settings = settings;
    this.images = images;
    this.labels = labels;
  }

  /** Checks the two files' shapes: 2-D, the same embedding width. */
  public static SimilaritiesPipeline of(SimilaritiesJob.Settings s) {
    NpyHeader e = Inputs.matrix(s.imageEmbeddings(), "rows x d");
    NpyHeader t = Inputs.matrix(s.textEmbeddings(), "rows x d");
    SimilaritiesJob.sameWidth(s.imageEmbeddings(), e.cols(), s.textEmbeddings(), t.cols());
    return new SimilaritiesPipeline(s, e.rows(), t.rows());
  }

  @Override
  public List<Path> inputs() {
    return List.of(settings.imageEmbeddings(), settings.textEmbeddings());
  }

  /** @param out the staged result file */
  @Override
  public PCollection<Void> expand(StageGraph graph, Path out) {
    NpyRanges.createMatrix(out, images, labels, Npy.DType.FLOAT64);
    return graph.wrote(graph.begin("Embeddings", Create.of(List.of(settings.imageEmbeddings().toString())))
        .apply("P", ParDo.of(new Compute(settings.textEmbeddings().toString(), out.toString()))));
  }

  @Override
  public Integer finish(Path out) {
    return labels;
  }

  /** P of the embeddings file it is given, written in place into the created file. */
  private static final class Compute extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private final String text;
    private final String out;

    Compute(String text, String out) {
      this.text = text;
      this.out = out;
    }

    @ProcessElement
    public void process(@Element String embeddings) {
      Matrix p = SimilaritiesJob.compute(Path.of(embeddings), Path.of(text));
      NpyRanges.writeColumns(Path.of(out), 0, p.data(), p.cols());
    }
  }
}
