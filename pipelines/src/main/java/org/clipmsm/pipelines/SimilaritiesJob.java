package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clipmsm.InvalidInputException;
import org.clipmsm.dissect.ImageLabelSimilarity;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.output.OutputFile;

/**
 * P for the dissection (docs/method.md §4.1): the cosine between each L2-normalised image embedding and each
 * L2-normalised label text embedding, images x labels, float64. A driver-side step: one matrix product.
 *
 * <pre>{@code
 * Matrix p = SimilaritiesJob.run(new SimilaritiesJob.Settings(Path.of("embeddings.npy"), Path.of("text.npy"),
 *     Path.of("P.npy")));
 * }</pre>
 */
public final class SimilaritiesJob {
  private SimilaritiesJob() {}

  /**
   * @param imageEmbeddings CLIP image embeddings, images x d
   * @param textEmbeddings label text embeddings of the same model, labels x d
   * @param out the result .npy
   */
  public record Settings(Path imageEmbeddings, Path textEmbeddings, Path out) {
    public Settings {
      Objects.requireNonNull(imageEmbeddings, "imageEmbeddings");
      Objects.requireNonNull(textEmbeddings, "textEmbeddings");
      Objects.requireNonNull(out, "out");
    }
  }

  /** Checks the inputs, computes P and commits it; returns P. */
  public static Matrix run(Settings s) {
    try (OutputFile out = OutputFile.open(s.out(), List.of(s.imageEmbeddings(), s.textEmbeddings()))) {
      Matrix p = compute(s.imageEmbeddings(), s.textEmbeddings());
      Npy.writeMatrix(out.staged(), p.data(), p.rows(), p.cols(), Npy.DType.FLOAT64);
      out.commit();
      return p;
    }
  }

  /** P of these files, checked to be finite embeddings of the same width. */
  static Matrix compute(Path imageEmbeddings, Path textEmbeddings) {
    Matrix e = Inputs.finiteMatrix(imageEmbeddings, "rows x d", "embeddings");
    Matrix t = Inputs.finiteMatrix(textEmbeddings, "rows x d", "embeddings");
    sameWidth(imageEmbeddings, e.cols(), textEmbeddings, t.cols());
    return ImageLabelSimilarity.compute(e, t);
  }

  static void sameWidth(Path imageEmbeddings, int imageWidth, Path textEmbeddings, int textWidth) {
    if (imageWidth != textWidth) {
      throw new InvalidInputException(textEmbeddings.getFileName() + ": " + textWidth + " columns, but "
          + imageEmbeddings.getFileName() + " has " + imageWidth + " (expected embeddings of the same CLIP model)");
    }
  }
}
