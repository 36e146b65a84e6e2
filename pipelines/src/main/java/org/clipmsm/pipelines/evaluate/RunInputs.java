package org.clipmsm.pipelines.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;
import org.clipmsm.dissect.LabelSet;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;

/**
 * A run directory as docs/evaluation.md §1 lays it out, read and checked before anything is computed: the label set
 * and its text embeddings, Network Dissection's concepts and theirs, the models, and each subject
 * ({@link SubjectInputs}). Every error is one line naming the file and what was expected.
 */
final class RunInputs {
  static final String LABELS = "labels.txt";
  static final String TEXT = "text.npy";
  static final String CONCEPTS = "concepts.txt";
  static final String CONCEPTS_TEXT = "concepts_text.npy";
  static final String MODELS = "models.txt";
  /**
   * Directories of a run that are not subjects: the results, and what a study keeps for all subjects (embed/: the
   * stimuli's embeddings per model).
   */
  static final Set<String> NOT_SUBJECTS = Set.of(EvaluateSettings.OUT, "report", "embed");

  final Path run;
  /** The label set, or null without labels.txt. */
  final List<String> labels;
  /** labels x D text embeddings, or null without text.npy. */
  final Matrix text;
  /** Network Dissection's concepts, or null without concepts.txt. */
  final List<String> concepts;
  /** concepts x D, or null without concepts_text.npy. */
  final Matrix conceptsText;
  final List<String> models;
  final List<SubjectInputs> subjects;
  /** Every file read, in the order read. */
  final Set<Path> read;
  /** What was left out of the run-level inputs, for parameters.csv. */
  final List<String> notes;

  private RunInputs(Path run, List<String> labels, Matrix text, List<String> concepts, Matrix conceptsText,
      List<String> models, List<SubjectInputs> subjects, Set<Path> read, List<String> notes) {
    this.run = run;
    this.labels = labels;
    this.text = text;
    this.concepts = concepts;
    this.conceptsText = conceptsText;
    this.models = models;
    this.subjects = subjects;
    this.read = read;
    this.notes = notes;
  }

  /** Reads and checks the whole run; throws {@link InvalidInputException} at the first problem. */
  static RunInputs read(Path run) {
    if (!Files.isDirectory(run)) {
      throw new InvalidInputException(run + ": " + (Files.exists(run) ? "not a directory" : "no such directory")
          + " (expected a run directory: models.txt and one directory per subject)");
    }
    Set<Path> read = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>();
    Path modelsFile = run.resolve(MODELS);
    List<String> models = models(modelsFile);
    read.add(modelsFile);

    Path labelsFile = run.resolve(LABELS);
    List<String> labels = null;
    if (Files.isRegularFile(labelsFile)) {
      labels = LabelSet.read(labelsFile);
      read.add(labelsFile);
    } else {
      notes.add(LABELS + ": absent (Figs. 3, 5 and 6 need the label set)");
    }
    Matrix text = null;
    Path textFile = run.resolve(TEXT);
    if (Files.isRegularFile(textFile)) {
      text = matrix(textFile, "labels x D text embeddings");
      read.add(textFile);
      if (labels != null && text.rows() != labels.size()) {
        throw new InvalidInputException(textFile + ": " + text.rows() + " rows, but " + labelsFile + " has "
            + labels.size() + " labels (expected one text embedding per label, in its order)");
      }
      requireFinite(textFile, text);
    } else {
      notes.add(TEXT + ": absent (Fig. 3 needs the labels' text embeddings)");
    }

    List<String> concepts = null;
    Matrix conceptsText = null;
    Path conceptsFile = run.resolve(CONCEPTS);
    Path conceptsTextFile = run.resolve(CONCEPTS_TEXT);
    if (Files.isRegularFile(conceptsFile)) {
      concepts = LabelSet.read(conceptsFile);
      read.add(conceptsFile);
    }
    if (Files.isRegularFile(conceptsTextFile)) {
      conceptsText = matrix(conceptsTextFile, "concepts x D text embeddings");
      read.add(conceptsTextFile);
      if (concepts == null) {
        throw new InvalidInputException(conceptsTextFile + ": present, but " + conceptsFile + " is not (expected the"
            + " concepts, one a line, in the order of its rows)");
      }
      if (conceptsText.rows() != concepts.size()) {
        throw new InvalidInputException(conceptsTextFile + ": " + conceptsText.rows() + " rows, but " + conceptsFile
            + " has " + concepts.size() + " concepts (expected one text embedding per concept, in its order)");
      }
      if (text != null && conceptsText.cols() != text.cols()) {
        throw new InvalidInputException(conceptsTextFile + ": " + conceptsText.cols() + " columns, but " + textFile
            + " has " + text.cols() + " (expected text embeddings of the same CLIP model)");
      }
      requireFinite(conceptsTextFile, conceptsText);
    }
    if (concepts == null || conceptsText == null) {
      notes.add(CONCEPTS + " and " + CONCEPTS_TEXT + ": " + (concepts == null ? CONCEPTS : CONCEPTS_TEXT)
          + " absent (Fig. 3's Network Dissection side needs both)");
    }

    List<SubjectInputs> subjects = new ArrayList<>();
    for (Path dir : subjectDirectories(run)) {
      subjects.add(SubjectInputs.read(dir, models, labelsFile, labels, textFile, text, conceptsFile, concepts,
          read));
    }
    if (subjects.isEmpty()) {
      throw new InvalidInputException(run + ": no subject directories (expected one directory per subject, each"
          + " with prepared/ and fit/<model>/)");
    }
    return new RunInputs(run, labels, text, concepts, conceptsText, models, Collections.unmodifiableList(subjects),
        read, notes);
  }

  /** models.txt: one model a line, each a directory name, none twice, at least one. */
  static List<String> models(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file (expected the feature models fitted, one a line, the"
          + " dissected model first)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file + ": expected UTF-8 text, one model a line", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read (" + InvalidInputException.firstLine(e) + ")", e);
    }
    List<String> models = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String[] lines = text.replace("\uFEFF", "").split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String m = lines[n].strip();
      if (m.isEmpty()) {
        continue;
      }
      if (!m.matches("[A-Za-z0-9._-]+") || m.equals(".") || m.equals("..")) {
        throw new InvalidInputException(file + ": line " + (n + 1) + ": model '" + m + "' (expected a directory"
            + " name of fit/: letters, digits, '.', '_' or '-')");
      }
      if (!seen.add(m)) {
        throw new InvalidInputException(file + ": line " + (n + 1) + ": model '" + m + "' listed twice");
      }
      models.add(m);
    }
    if (models.isEmpty()) {
      throw new InvalidInputException(file + ": no models (expected the feature models fitted, one a line)");
    }
    return List.copyOf(models);
  }

  /** The subjects: every directory of the run but the results and hidden entries, in name order. */
  static List<Path> subjectDirectories(Path run) {
    try (Stream<Path> entries = Files.list(run)) {
      return entries.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> !NOT_SUBJECTS.contains(p.getFileName().toString()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + run, e);
    }
  }

  /** A whole 2-D .npy file. */
  static Matrix matrix(Path file, String what) {
    NpyHeader h = matrixHeader(file, what);
    return new Matrix(h.rows(), h.cols(), Npy.readMatrix(file));
  }

  /** The header of a 2-D .npy file. */
  static NpyHeader matrixHeader(Path file, String what) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != 2) {
      throw new InvalidInputException(file + ": expected a 2-D array (" + what + "), found shape "
          + Arrays.toString(h.shape()));
    }
    return h;
  }

  static void requireFinite(Path file, Matrix m) {
    double[] d = m.data();
    for (int k = 0; k < d.length; k++) {
      if (!Double.isFinite(d[k])) {
        throw new InvalidInputException(file + ": " + d[k] + " at row " + (k % m.rows()) + ", column "
            + (k / m.rows()) + " (expected finite embeddings)");
      }
    }
  }
}
