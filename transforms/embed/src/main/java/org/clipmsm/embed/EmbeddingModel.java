package org.clipmsm.embed;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.image.RgbImage;

/**
 * An image (and, for CLIP, text) encoder loaded from a model directory ({@link ModelRef}) with DJL: TorchScript
 * files on the PyTorch engine, ONNX files on OnnxRuntime, both with DJL's no-op translator (NDList in, NDList out).
 * Loading is eager and checked, so that a missing or corrupt file is reported with its name before any image is
 * read. Not thread-safe: one instance per worker thread.
 *
 * <p>Dense features ({@link #dense}): the same encoder's per-position map (batch, h, w, D), MaskCLIP-style: for ViTs
 * the last block's attention is reduced to its value path (each patch token keeps its own content) and the final
 * {@code ln_post} and projection are applied to every patch token; for CLIP's ResNets the attention pool's value and
 * output projections applied at every position; for ImageNet CNNs the last convolutional map. A voxel's weights,
 * fitted on the pooled embedding, then apply at each position (the Network Dissection baseline).
 *
 * <p>A model whose {@code model.properties} sets {@code gap_image} / {@code gap_text} (the shipped tiny CLIP) gets a
 * shared modality-gap coordinate appended to its image, dense and text outputs alike ({@link ModalityGap}).
 */
public final class EmbeddingModel implements AutoCloseable {
  private static final String TORCHSCRIPT = "PyTorch";
  private static final String ONNX = "OnnxRuntime";

  private final ModelRef ref;
  private final Path dir;
  private final ImagePreprocessing preprocessing;
  private final boolean torchScript;
  private final ModalityGap gap;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Loaded image;
  private Loaded imageDense;
  private Loaded text;
  private ClipTokenizer tokenizer;
  /** The pixels of a batch, native order, read by the engine in place ({@link #stagingBuffer}). */
  private ByteBuffer staging;

  /** A loaded model file with its predictor. */
  private record Loaded(Path file, ZooModel<NDList, NDList> model, Predictor<NDList, NDList> predictor) {}

  private EmbeddingModel(ModelRef ref, Path dir, ImagePreprocessing preprocessing, boolean torchScript,
      ModalityGap gap) {
    this.ref = ref;
    this.dir = dir;
    this.preprocessing = preprocessing;
    this.torchScript = torchScript;
    this.gap = gap;
  }

  /**
   * Opens a model directory and loads its image encoder (text encoder and tokenizer are loaded on first use).
   *
   * @throws InvalidInputException naming the file if the directory, its properties or the encoder file is missing
   *     or cannot be loaded, or a property has a bad value
   */
  public static EmbeddingModel open(ModelRef ref) {
    Djl.configure();
    Path dir = ref.directory();
    Path props = dir.resolve("model.properties");
    Properties p = new Properties();
    if (Files.isRegularFile(props)) {
      try (Reader r = Files.newBufferedReader(props)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new InvalidInputException(props + ": cannot read (" + InvalidInputException.firstLine(e)
            + "; expected Java properties such as preprocess=clip)", e);
      }
    }
    ImagePreprocessing pre = ImagePreprocessing.named(p.getProperty("preprocess", "clip"));
    ModalityGap gap = ModalityGap.of(p, props);
    boolean ts = switch (ref.format()) {
      case TORCHSCRIPT -> true;
      case ONNX -> false;
      case AUTO -> Files.exists(dir.resolve("image.pt")) || !Files.exists(dir.resolve("image.onnx"));
    };
    EmbeddingModel m = new EmbeddingModel(ref, dir, pre, ts, gap);
    try {
      m.image = m.load(ts ? "image.pt" : "image.onnx");
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  public ModelRef ref() {
    return ref;
  }

  /** The modality-gap coordinate appended to every output ({@link ModalityGap#NONE} for most models). */
  public ModalityGap modalityGap() {
    return gap;
  }

  /** The image encoder's file (for messages). */
  public Path imageFile() {
    return image.file();
  }

  /**
   * Pooled image embeddings (the encoder's forward: CLIP's encode_image, not normalised, then the model's
   * {@link ModalityGap} coordinate if it has one): n rows.
   */
  public float[][] embedImages(float[] pixels, int n) {
    stage(pixels, n);
    return embedStaged(n);
  }

  /**
   * Dense maps: n rows of h * w * D floats (position-major: row, column, feature; D counts the {@link ModalityGap}
   * coordinate if the model has one); shape in {@code shape}.
   */
  public float[][] dense(float[] pixels, int n, int[] shape) {
    stage(pixels, n);
    return denseStaged(n, shape);
  }

  /**
   * The model's input buffer for a batch of {@code n} images, reused from batch to batch: fill image i at offset
   * {@code i * preprocessing().length()} ({@link ImagePreprocessing#apply(RgbImage, FloatBuffer, int)}, from any
   * threads), then call {@link #embedStaged} or {@link #denseStaged}. The engine reads it in place: no copy of the
   * pixels on the inference thread (a fresh buffer per batch had cost as much time as the tiny CLIP's forward pass).
   */
  public FloatBuffer stagingBuffer(int n) {
    long bytes = (long) n * preprocessing.length() * Float.BYTES;
    if (bytes > Integer.MAX_VALUE) {
      throw new InvalidParameterException("batchSize", "at most " + maxBatch() + " images of "
          + preprocessing.size() + " x " + preprocessing.size() + " fit in one input buffer (2 GB), got " + n);
    }
    if (staging == null || staging.capacity() < bytes) {
      staging = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }
    return staging.asFloatBuffer();
  }

  /** The largest batch {@link #stagingBuffer} can hold. */
  public int maxBatch() {
    return (int) (Integer.MAX_VALUE / ((long) preprocessing.length() * Float.BYTES));
  }

  /** {@link #embedImages} of the first {@code n} images in the {@link #stagingBuffer}. */
  public float[][] embedStaged(int n) {
    return gap.images(rows(run(image, imageInput(n, false), n, "a (" + n + ", 3, " + preprocessing.size() + ", "
        + preprocessing.size() + ") float32 batch of " + preprocessing.name().toLowerCase() + "-preprocessed images"),
        n, 2));
  }

  /** {@link #dense} of the first {@code n} images in the {@link #stagingBuffer}. */
  public float[][] denseStaged(int n, int[] shape) {
    if (!torchScript && imageDense == null) {
      imageDense = load("image-dense.onnx");
    }
    Loaded target = torchScript ? image : imageDense;
    Result r = run(target, imageInput(n, torchScript), n, "a (" + n + ", 3, " + preprocessing.size() + ", "
        + preprocessing.size() + ") float32 batch for the dense method");
    if (r.shape.length != 4) {
      throw new InvalidInputException(target.file() + ": the dense output has shape " + Arrays.toString(r.shape)
          + "; expected (batch, h, w, D)");
    }
    shape[0] = (int) r.shape[1];
    shape[1] = (int) r.shape[2];
    shape[2] = (int) r.shape[3];
    return gap.dense(rows(r, n, 4), shape);
  }

  /**
   * Text embeddings (CLIP's encode_text, not normalised, then the model's {@link ModalityGap} coordinate if it has
   * one) of token ids, each {@link ClipTokenizer#CONTEXT_LENGTH}.
   */
  public float[][] embedTexts(long[][] ids) {
    if (text == null) {
      text = load(torchScript ? "text.pt" : "text.onnx");
    }
    int n = ids.length;
    long[] flat = new long[n * ClipTokenizer.CONTEXT_LENGTH];
    for (int i = 0; i < n; i++) {
      System.arraycopy(ids[i], 0, flat, i * ClipTokenizer.CONTEXT_LENGTH, ClipTokenizer.CONTEXT_LENGTH);
    }
    return gap.texts(rows(run(text, new Input(flat, new Shape(n, ClipTokenizer.CONTEXT_LENGTH), false), n,
        "(" + n + ", 77) int64 token ids"), n, 2));
  }

  /** The model's tokenizer ({@code tokenizer.json} in the model directory). */
  public ClipTokenizer tokenizer() {
    if (tokenizer == null) {
      tokenizer = ClipTokenizer.open(dir.resolve("tokenizer.json"));
      open.add(tokenizer);
    }
    return tokenizer;
  }

  // ---- DJL plumbing ----

  private record Result(float[] values, long[] shape) {}

  /**
   * An input not yet on a manager: the staged pixels ({@code longs} null) or int64 ids, and whether to call
   * TorchScript's {@code dense}.
   */
  private record Input(long[] longs, Shape shape, boolean denseMethod) {}

  private Input imageInput(int n, boolean denseMethod) {
    if (staging == null || staging.capacity() < (long) n * preprocessing.length() * Float.BYTES) {
      throw new IllegalStateException("no staged pixels for " + n + " images");
    }
    return new Input(null, new Shape(n, 3, preprocessing.size(), preprocessing.size()), denseMethod);
  }

  /** Copies the first {@code n} images of {@code pixels} into the staging buffer. */
  private void stage(float[] pixels, int n) {
    int count = Math.multiplyExact(n, preprocessing.length());
    if (pixels.length < count) {
      throw new IllegalArgumentException(pixels.length + " floats for " + n + " images");
    }
    stagingBuffer(n).put(pixels, 0, count);
  }

  private Result run(Loaded m, Input in, int n, String what) {
    try (NDManager mgr = m.model().getNDManager().newSubManager()) {
      NDArray x = in.longs == null
          ? mgr.create(staging.duplicate().order(ByteOrder.nativeOrder()).limit((int) in.shape.size() * Float.BYTES),
              in.shape,
              DataType.FLOAT32)
          : mgr.create(LongBuffer.wrap(in.longs, 0, (int) in.shape.size()), in.shape);
      NDList list = new NDList(x);
      if (in.denseMethod) {
        NDArray method = mgr.create(new float[] {0f});
        method.setName("module_method:dense");
        list.add(method);
      }
      NDList out;
      try {
        out = m.predictor().predict(list);
      } catch (Exception e) {
        throw new InvalidInputException(m.file() + ": the model rejected " + what + " ("
            + InvalidInputException.firstLine(e) + ")", e);
      }
      if (out.isEmpty()) {
        throw new InvalidInputException(m.file() + ": the model returned nothing for " + what);
      }
      NDArray y = out.get(0);
      long[] shape = y.getShape().getShape();
      if (shape.length < 2 || shape[0] != n) {
        throw new InvalidInputException(m.file() + ": output of shape " + Arrays.toString(shape) + " for " + what
            + "; expected (" + n + ", ...)");
      }
      return new Result(y.toType(DataType.FLOAT32, false).toFloatArray(), shape);
    }
  }

  private static float[][] rows(Result r, int n, int rank) {
    if (r.shape.length != rank) {
      throw new IllegalStateException("output of shape " + Arrays.toString(r.shape) + "; expected rank " + rank);
    }
    int per = r.values.length / n;
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(r.values, i * per, (i + 1) * per);
    }
    return out;
  }

  private Loaded load(String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file (expected the model's " + name + " in "
          + (ref.location().equals(ModelRef.TINY_CLIP) ? ModelRef.TINY_CLIP : dir) + ")");
    }
    String engine = name.endsWith(".pt") ? TORCHSCRIPT : ONNX;
    Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
        .optModelPath(file).optEngine(engine).optTranslator(new NoopTranslator()).build();
    ZooModel<NDList, NDList> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
      throw new InvalidInputException(file + ": cannot load the " + (engine.equals(TORCHSCRIPT) ? "TorchScript"
          : "ONNX") + " model (" + InvalidInputException.firstLine(e) + ")", e);
    }
    Loaded l = new Loaded(file, model, model.newPredictor());
    open.add(l.predictor());
    open.add(l.model());
    return l;
  }

  @Override
  public void close() {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // Closing native handles is best effort.
      }
    }
    open.clear();
  }
}
