package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.dissect.ImageLabelSimilarity;
import org.clipmsm.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "similarities", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"P for dissect: the cosine between each L2-normalised image embedding and each L2-normalised",
        "label text embedding (method.md §4, no logit scale), images x labels, float64."})
final class SimilaritiesCommand implements Callable<Integer> {
  @Option(names = "--image-embeddings", required = true, paramLabel = "E.npy", description = "CLIP image embeddings,"
      + " images x d (rows in the order of dissect's activations).")
  String images;

  @Option(names = "--text-embeddings", required = true, paramLabel = "T.npy", description = "Label text embeddings of"
      + " the same CLIP model, labels x d (embed-text's output).")
  String texts;

  @Option(names = "--out", required = true, paramLabel = "P.npy", description = "Output .npy.")
  String out;

  @Override
  public Integer call() {
    Matrix e = read(images, "--image-embeddings");
    Matrix t = read(texts, "--text-embeddings");
    Matrix p = ImageLabelSimilarity.compute(e, t);
    Npy.writeMatrix(Path.of(out), p.data(), p.rows(), p.cols(), Npy.DType.FLOAT64);
    System.out.printf("similarities: %d images x %d labels; wrote %s%n", p.rows(), p.cols(), out);
    return 0;
  }

  private static Matrix read(String file, String option) {
    Path f = Path.of(file);
    NpyHeader h = Npy.readHeader(f);
    if (h.ndim() != 2) {
      throw new InvalidInputException(option + " " + f + ": expected a 2-D array (rows x d), found shape "
          + java.util.Arrays.toString(h.shape()));
    }
    return new Matrix(h.rows(), h.cols(), Npy.readMatrix(f));
  }
}
