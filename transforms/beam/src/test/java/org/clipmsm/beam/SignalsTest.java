package org.clipmsm.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers that wait for the steps writing their files, in the same pipeline: the files do not exist when the graph is
 * built, and are written slowly, so a reader that did not wait would fail (no file) or read a half-written one.
 */
@ExtendWith(TestPipelineExtension.class)
class SignalsTest {
  @TempDir
  Path tmp;

  /** Writes a matrix file (after a pause) and its keys file. */
  static final class SlowWrite extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private final double[] columnMajor;
    private final int rows;
    private final int cols;

    SlowWrite(double[] columnMajor, int rows, int cols) {
      this.columnMajor = columnMajor;
      this.rows = rows;
      this.cols = cols;
    }

    @ProcessElement
    public void process(@Element String dir) throws Exception {
      Thread.sleep(1500);
      Npy.writeMatrix(Path.of(dir, "m.npy"), columnMajor, rows, cols, Npy.DType.FLOAT32);
      Files.writeString(Path.of(dir, "keys.csv"), "row,key\n0,a\n1,b\n2,c\n");
    }
  }

  @Test
  void readersSeeWhatTheWritersOfTheSamePipelineWrote(TestPipeline pipeline) {
    Matrix m = new Matrix(3, 2, new double[] {1, 2, 3, 4, 5, 6});
    Path file = tmp.resolve("m.npy");
    assertFalse(Files.exists(file));
    PCollection<Void> written = pipeline.apply("Dir", Create.of(tmp.toString()))
        .apply("Write", ParDo.of(new SlowWrite(m.data(), 3, 2)));
    PCollectionView<?> done = pipeline.apply("Written", Signals.done(List.of(written)));

    PCollection<Matrix> whole = pipeline.apply("Whole", ReadNpyMatrix.from(file.toString()).waitFor(done));
    PCollection<VoxelBlock> blocks = pipeline.apply("Blocks", ReadVoxelBlocks.from(file.toString())
        .withVoxelsPerBlock(1).waitFor(done));
    PCollection<KV<String, float[]>> keyed = pipeline.apply("Keyed", ReadKeyedFeatures.from(file.toString(),
        tmp.resolve("keys.csv").toString(), null).forKeys(List.of("c", "a")).waitFor(done));

    PAssert.thatSingleton(whole).satisfies(got -> {
      assertArrayEquals(m.data(), got.data());
      return null;
    });
    PAssert.that(blocks).satisfies(got -> {
      int n = 0;
      for (VoxelBlock b : got) {
        int v = (int) b.firstVoxel();
        assertArrayEquals(new double[] {m.get(0, v), m.get(1, v), m.get(2, v)}, b.values().data());
        n++;
      }
      assertEquals(2, n, "one block per voxel column");
      return null;
    });
    PAssert.that(keyed).satisfies(got -> {
      int n = 0;
      for (KV<String, float[]> e : got) {
        int row = e.getKey().equals("a") ? 0 : 2;
        assertArrayEquals(new float[] {(float) m.get(row, 0), (float) m.get(row, 1)}, e.getValue());
        n++;
      }
      assertEquals(2, n);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
