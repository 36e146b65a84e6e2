package org.clipmsm.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;

/**
 * Where a model is and which of its exports to run: a model directory (or {@value #TINY_CLIP}, the small CLIP that
 * ships inside the jar) and a format, TorchScript (PyTorch engine) or ONNX (OnnxRuntime engine). Small and
 * serializable: workers resolve it themselves.
 *
 * <p>A model directory holds {@code model.properties} ({@code preprocess=clip|imagenet}), the image encoder as
 * {@code image.pt} (TorchScript; {@code forward} = pooled embedding, method {@code dense} = per-position map) and/or
 * {@code image.onnx} + {@code image-dense.onnx}, and for CLIP the text encoder {@code text.pt} / {@code text.onnx}
 * with its {@code tokenizer.json}.
 */
public record ModelRef(String location, Format format) implements Serializable {
  /** The name of the shipped model. */
  public static final String TINY_CLIP = "tiny-clip";
  private static final String RESOURCE = "/org/clipmsm/models/tiny-clip/";
  private static final List<String> TINY_FILES = List.of("model.properties", "tokenizer.json", "image.pt", "text.pt",
      "image.onnx", "image-dense.onnx", "text.onnx");
  private static Path tinyDir;

  /** Which export to load. */
  public enum Format {
    /** TorchScript when the directory has it, else ONNX. */
    AUTO,
    TORCHSCRIPT,
    ONNX;

    public static Format named(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("format", "expected auto, torchscript or onnx, got " + s);
      }
    }
  }

  public static ModelRef of(String location) {
    return new ModelRef(location, Format.AUTO);
  }

  public ModelRef withFormat(Format f) {
    return new ModelRef(location, f);
  }

  /**
   * The model directory on this machine: the given path, or the shipped tiny CLIP unpacked once into DJL's cache
   * ({@link Djl#cacheDir}).
   *
   * @throws InvalidInputException if the path is not a directory
   */
  public Path directory() {
    if (location.equals(TINY_CLIP)) {
      return tinyClip();
    }
    Path dir = Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new InvalidParameterException("model", location + ": no such directory (expected a model directory"
          + " holding model.properties and image.pt or image.onnx, or " + TINY_CLIP + ")");
    }
    return dir;
  }

  /**
   * The shipped tiny CLIP, unpacked once into DJL's cache ({@link Djl#unpack}: a directory named by its content,
   * reused by later runs, nothing in {@code java.io.tmpdir}); if the cache cannot be written, into a temporary
   * directory deleted when the JVM exits.
   */
  private static synchronized Path tinyClip() {
    if (tinyDir != null && Files.isDirectory(tinyDir)) {
      return tinyDir;
    }
    try {
      tinyDir = Djl.unpack(TINY_CLIP, ModelRef.class, RESOURCE, TINY_FILES);
    } catch (IOException e) {
      tinyDir = tinyClipInTemp();
    }
    return tinyDir;
  }

  private static Path tinyClipInTemp() {
    try {
      Path dir = Files.createTempDirectory("clipmsm-tiny-clip-");
      // The JVM deletes in reverse order of registration: the directory goes first in the list, so that at exit
      // its files are deleted before it.
      dir.toFile().deleteOnExit();
      for (String f : TINY_FILES) {
        dir.resolve(f).toFile().deleteOnExit();
        try (InputStream in = ModelRef.class.getResourceAsStream(RESOURCE + f)) {
          if (in == null) {
            throw new IllegalStateException("the jar lacks " + RESOURCE + f);
          }
          Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the tiny CLIP", e);
    }
  }

  @Override
  public String toString() {
    return location + (format == Format.AUTO ? "" : " (" + format.name().toLowerCase(Locale.ROOT) + ")");
  }
}
