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
   * The model directory on this machine: the given path, or the shipped tiny CLIP unpacked once per JVM into a
   * temporary directory.
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

  private static synchronized Path tinyClip() {
    if (tinyDir != null && Files.isDirectory(tinyDir)) {
      return tinyDir;
    }
    try {
      Path dir = Files.createTempDirectory("clipmsm-tiny-clip-");
      for (String f : TINY_FILES) {
        try (InputStream in = ModelRef.class.getResourceAsStream(RESOURCE + f)) {
          if (in == null) {
            throw new IllegalStateException("the jar lacks " + RESOURCE + f);
          }
          Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        dir.resolve(f).toFile().deleteOnExit();
      }
      dir.toFile().deleteOnExit();
      tinyDir = dir;
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
