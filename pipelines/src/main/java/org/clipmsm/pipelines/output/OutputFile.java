package org.clipmsm.pipelines.output;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;

/**
 * A result that is one file, never left half-written: it is written into a hidden staging directory beside the
 * target, under the target's own name (so its extension tells formats apart), and renamed onto the target when whole.
 * The staging directory may hold the job's scratch files too; it is deleted either way. An existing file at the
 * target is replaced; a directory, or one of the job's inputs, is refused.
 */
public final class OutputFile extends Staging {
  private OutputFile(Path target, Collection<Path> inputs) {
    super(target, inputs, false);
  }

  /** @param inputs the job's inputs: the target may not be one of them */
  public static OutputFile open(Path target, Collection<Path> inputs) {
    return new OutputFile(target, inputs);
  }

  public static OutputFile open(Path target) {
    return open(target, List.of());
  }

  /** Where the file is written until {@link #commit}; its directory is the job's to use for scratch files. */
  public Path staged() {
    return staged.resolve(target.getFileName());
  }

  @Override
  void publish() throws IOException {
    try {
      Files.move(staged(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staged(), target, StandardCopyOption.REPLACE_EXISTING);
    }
    deleteTree(staged);
    RunRecord run = RunRecord.of(target);
    if (run != null) {
      Manifest.write(Manifest.of(target, false), run, inputs, target);
    }
  }
}
