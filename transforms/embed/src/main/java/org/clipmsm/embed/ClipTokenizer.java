package org.clipmsm.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;

/**
 * CLIP's {@code tokenize}: the model's BPE {@code tokenizer.json} (read by DJL's HuggingFace tokenizers), with the
 * start and end tokens added, truncated to the context length with the end token kept last, zero-padded. A label
 * becomes a prompt through a template ({@code "{}"}, the bare label, by default; e.g. {@code "a photo of {}"}).
 */
public final class ClipTokenizer implements AutoCloseable {
  /** CLIP's context length. */
  public static final int CONTEXT_LENGTH = 77;

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;

  private ClipTokenizer(Path file, HuggingFaceTokenizer tokenizer) {
    this.file = file;
    this.tokenizer = tokenizer;
  }

  /**
   * Opens a {@code tokenizer.json}.
   *
   * @throws InvalidInputException if it is missing or not a tokenizer the library can read
   */
  public static ClipTokenizer open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file (expected CLIP's BPE tokenizer.json)");
    }
    Djl.configure();
    try {
      return new ClipTokenizer(file, HuggingFaceTokenizer.builder().optTokenizerPath(file)
          .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build());
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file + ": cannot read the tokenizer (" + InvalidInputException.firstLine(e)
          + "; expected a HuggingFace tokenizer.json)", e);
    }
  }

  /** The prompt for a label: the template with {@code {}} replaced by the label. */
  public static String prompt(String template, String label) {
    if (!template.contains("{}")) {
      throw new InvalidParameterException("template", "expected a text holding {} for the label, got \"" + template
          + "\"");
    }
    return template.replace("{}", label);
  }

  /** Token ids of one text, {@link #CONTEXT_LENGTH} long. */
  public long[] encode(String text) {
    long[] ids = tokenizer.encode(text).getIds();
    if (ids.length < 2) {
      throw new InvalidInputException(file + ": the tokenizer added no start and end tokens to \"" + text
          + "\" (expected CLIP's tokenizer.json, whose post-processor adds them)");
    }
    long[] out = Arrays.copyOf(ids, CONTEXT_LENGTH);
    if (ids.length > CONTEXT_LENGTH) {
      out[CONTEXT_LENGTH - 1] = ids[ids.length - 1];
    }
    return out;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
