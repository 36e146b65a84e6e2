package org.clipmsm.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.clipmsm.InvalidInputException;
import org.clipmsm.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CLIP and ImageNet preprocessing against the tensors PIL + torchvision made of the same PNG files
 * (tools/preprocessing_reference.py): shrinking, enlarging, portrait, landscape, odd crop offsets, grey.
 */
class ImagePreprocessingTest {
  @ParameterizedTest
  @CsvSource({"wide,clip", "tall,clip", "grey,clip", "wide,imagenet", "tall,imagenet", "grey,imagenet"})
  void equalsTorchvision(String image, String preprocess) {
    float[] expected = Fixtures.floats(Fixtures.resource(image + "." + preprocess + ".npy"));
    float[] actual = ImagePreprocessing.named(preprocess).apply(RgbImage.read(Fixtures.resource(image + ".png")));
    assertEquals(3 * 224 * 224, expected.length);
    int differ = 0;
    float worst = 0;
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        differ++;
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
    }
    assertEquals(0, differ, differ + " values differ, by up to " + worst);
  }

  /** The path EmbedImages takes: straight into a native buffer at an image's offset, bit-equal to torchvision. */
  @ParameterizedTest
  @CsvSource({"wide,clip", "tall,imagenet"})
  void intoANativeBufferEqualsTorchvision(String image, String preprocess) {
    float[] expected = Fixtures.floats(Fixtures.resource(image + "." + preprocess + ".npy"));
    int len = expected.length;
    java.nio.FloatBuffer buffer = java.nio.ByteBuffer.allocateDirect(2 * len * Float.BYTES)
        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    ImagePreprocessing.named(preprocess).apply(RgbImage.read(Fixtures.resource(image + ".png")), buffer, len);
    for (int i = 0; i < len; i++) {
      assertEquals(0f, buffer.get(i), "the first image's place is untouched at " + i);
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(buffer.get(len + i)), "value " + i);
    }
  }

  @Test
  void unreadableImageNamesTheFile(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("broken.png");
    Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
        () -> RgbImage.read(bad));
    assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
