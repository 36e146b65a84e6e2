package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** A voxel set travels (inside DoFns) as runs of consecutive voxels and comes back as the same set. */
class VoxelSetTest {
  static VoxelSet roundTrip(VoxelSet s, int[] bytes) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(s);
    }
    bytes[0] = b.size();
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
      return (VoxelSet) in.readObject();
    }
  }

  @Test
  void setsComeBackVoxelForVoxelAndTheWholeCortexIsSmall() throws Exception {
    int[] bytes = new int[1];
    for (VoxelSet s : new VoxelSet[] {new VoxelSet("roi", new long[] {9, 0, 1, 2, 5, 7, 8, 300_000}),
        new VoxelSet("empty", new long[0]), new VoxelSet("one", new long[] {4})}) {
      VoxelSet back = roundTrip(s, bytes);
      assertEquals(s.name(), back.name());
      assertArrayEquals(s.voxels(), back.voxels(), s.name());
    }
    VoxelSet all = VoxelSet.all(300_000);
    VoxelSet back = roundTrip(all, bytes);
    assertArrayEquals(all.voxels(), back.voxels());
    assertTrue(bytes[0] < 1_000, "300,000 consecutive voxels as one run: " + bytes[0] + " bytes");
  }
}
