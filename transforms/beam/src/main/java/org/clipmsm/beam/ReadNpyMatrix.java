package org.clipmsm.beam;

import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;

/**
 * Reads a whole 2-D NumPy array (rows = images) as one {@link Matrix}, e.g. the image embeddings. Accepts float32 or
 * float64, C or Fortran order, and (n, 1, d) feature files. The file is read by a worker, not put in the pipeline
 * graph, so its path must be readable where the pipeline runs.
 *
 * <pre>{@code
 * PCollection<Matrix> features = pipeline.apply(ReadNpyMatrix.from("features.npy"));
 * }</pre>
 */
public final class ReadNpyMatrix extends PTransform<PBegin, PCollection<Matrix>> {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final transient PCollectionView<?> written;

  private ReadNpyMatrix(String path, PCollectionView<?> written) {
    this.path = path;
    this.written = written;
  }

  public static ReadNpyMatrix from(String path) {
    return new ReadNpyMatrix(path, null);
  }

  /** Reads the file only once this view is ready ({@link Signals#done} of the writes of the steps that make it). */
  public ReadNpyMatrix waitFor(PCollectionView<?> inputsWritten) {
    return new ReadNpyMatrix(path, inputsWritten);
  }

  @Override
  public PCollection<Matrix> expand(PBegin begin) {
    return Signals.waitFor(begin.apply("Path", Create.of(path)), written)
        .apply("Read " + java.nio.file.Path.of(path).getFileName(), ParDo.of(new DoFn<String, Matrix>() {
          private static final long serialVersionUID = 1L;

          @ProcessElement
          public void process(@Element String p, OutputReceiver<Matrix> out) {
            java.nio.file.Path file = java.nio.file.Path.of(p);
            var header = Npy.readHeader(file);
            out.output(new Matrix(header.rows(), header.cols(), Npy.readMatrix(file)));
          }
        }))
        .setCoder(MatrixCoder.of());
  }
}
