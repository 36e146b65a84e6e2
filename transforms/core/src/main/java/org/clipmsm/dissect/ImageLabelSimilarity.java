package org.clipmsm.dissect;

import org.clipmsm.InvalidParameterException;
import org.clipmsm.linalg.Linalg;
import org.clipmsm.linalg.Matrix;

/**
 * P (images x labels), docs/method.md §4.1: the cosine between each L2-normalised image embedding and each
 * L2-normalised
 * label text embedding, without CLIP's logit scale.
 */
public final class ImageLabelSimilarity {
  private ImageLabelSimilarity() {}

  /**
   * @param images images x d image embeddings (rows = images)
   * @param labels labels x d text embeddings (rows = labels)
   * @return images x labels cosines
   */
  public static Matrix compute(Matrix images, Matrix labels) {
    if (images.cols() != labels.cols()) {
      throw new InvalidParameterException("labels", labels.cols() + " dimensions, but images have " + images.cols()
          + " (expected embeddings of the same CLIP model)");
    }
    Matrix a = normalizeRows(images);
    Matrix b = normalizeRows(labels);
    Matrix out = Matrix.zeros(a.rows(), b.rows());
    if (a.rows() > 0 && b.rows() > 0 && a.cols() > 0) {
      Linalg.blas().dgemm("N", "T", a.rows(), b.rows(), a.cols(), 1.0, a.data(), a.rows(), b.data(), b.rows(), 0.0,
          out.data(), a.rows());
    }
    return out;
  }

  /** Each row divided by its L2 norm (a zero row stays zero). */
  static Matrix normalizeRows(Matrix m) {
    Matrix out = m.copy();
    double[] norms = new double[m.rows()];
    double[] d = out.data();
    for (int j = 0; j < m.cols(); j++) {
      for (int i = 0; i < m.rows(); i++) {
        double v = d[i + j * m.rows()];
        norms[i] += v * v;
      }
    }
    for (int i = 0; i < norms.length; i++) {
      norms[i] = norms[i] > 0 ? 1 / Math.sqrt(norms[i]) : 0;
    }
    for (int j = 0; j < m.cols(); j++) {
      for (int i = 0; i < m.rows(); i++) {
        d[i + j * m.rows()] *= norms[i];
      }
    }
    return out;
  }
}
