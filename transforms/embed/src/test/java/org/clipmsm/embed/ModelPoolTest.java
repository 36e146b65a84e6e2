package org.clipmsm.embed;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPoolTest {
  @AfterEach
  void clear() {
    ModelPool.clear();
  }

  @Test
  void aGivenBackInstanceIsLentAgainButNeverToTwoAtOnce() {
    ModelRef ref = ModelRef.of(ModelRef.TINY_CLIP).withFormat(ModelRef.Format.TORCHSCRIPT);
    EmbeddingModel first = ModelPool.borrow(ref);
    EmbeddingModel second = ModelPool.borrow(ref);
    assertNotSame(first, second);
    ModelPool.giveBack(first);
    ModelPool.giveBack(second); // one idle instance is kept: this one is closed
    EmbeddingModel again = ModelPool.borrow(ref);
    assertSame(first, again);
    EmbeddingModel onnx = ModelPool.borrow(ref.withFormat(ModelRef.Format.ONNX));
    assertNotSame(first, onnx);
    ModelPool.giveBack(onnx);
    ModelPool.giveBack(again);
  }

  @Test
  void aModelWhoseFilesChangedIsLoadedAfresh(@TempDir Path dir) throws Exception {
    Path tiny = ModelRef.of(ModelRef.TINY_CLIP).directory();
    try (var files = Files.list(tiny)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    ModelRef ref = ModelRef.of(dir.toString());
    EmbeddingModel first = ModelPool.borrow(ref);
    ModelPool.giveBack(first);
    Path image = dir.resolve("image.pt");
    Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 60_000));
    EmbeddingModel second = ModelPool.borrow(ref);
    assertNotSame(first, second);
    ModelPool.giveBack(second);
    ModelPool.release(ref); // the driver's call when its pipeline is done
    EmbeddingModel third = ModelPool.borrow(ref);
    assertNotSame(second, third);
    ModelPool.giveBack(third);
  }
}
