package org.clipmsm.beam;

import java.util.Arrays;
import org.clipmsm.broden.BrodenProbes;
import org.clipmsm.broden.BrodenSet;
import org.clipmsm.io.Float32Rows;
import org.clipmsm.netdissect.ConceptTable;
import org.clipmsm.netdissect.MapGeometry;
import org.clipmsm.netdissect.NetDissect;
import org.clipmsm.netdissect.ProbeAnnotation;

/**
 * A Broden probe set (docs/datasets.md §4) and the dense features of its images: image i of the set (its {@code
 * index.csv} row among the selected ones) has the features of row {@code rowOfImage[i]} of the dense file. Dense
 * features are read batch by batch; segmentations are decoded when an image is counted, by the thread that counts it.
 */
public final class BrodenProbeSource implements ProbeSource {
  private static final long serialVersionUID = 1L;

  private final BrodenSet set;
  private final Float32Rows dense;
  private final int[] rowOfImage;
  private final ConceptTable concepts;
  private final MapGeometry geometry;

  private BrodenProbeSource(BrodenSet set, Float32Rows dense, int[] rowOfImage) {
    this.set = set;
    this.dense = dense;
    this.rowOfImage = rowOfImage.clone();
    this.concepts = BrodenProbes.conceptTable(set);
    long[] s = dense.shape();
    this.geometry = new MapGeometry((int) s[1], (int) s[2], (int) s[3]);
  }

  /**
   * @param set the opened set, its categories selected
   * @param dense {@code (n, h, w, D)} float32 dense features
   * @param rowOfImage for each image of {@code set}, its row in {@code dense}
   */
  public static BrodenProbeSource of(BrodenSet set, Float32Rows dense, int[] rowOfImage) {
    if (rowOfImage.length != set.size()) {
      throw new IllegalArgumentException("rowOfImage: expected " + set.size() + " rows, got " + rowOfImage.length);
    }
    return new BrodenProbeSource(set, dense, rowOfImage);
  }

  @Override
  public MapGeometry geometry() {
    return geometry;
  }

  @Override
  public ConceptTable concepts() {
    return concepts;
  }

  @Override
  public NetDissect.Probes open() {
    int per = dense.rowValues();
    return new NetDissect.Probes() {
      @Override
      public int images() {
        return rowOfImage.length;
      }

      @Override
      public Batch dense(int first, int n, float[] scratch) {
        // Runs of consecutive rows are read in one call: with keys in index.csv order, the whole batch.
        int i = 0;
        while (i < n) {
          int j = i + 1;
          while (j < n && rowOfImage[first + j] == rowOfImage[first + j - 1] + 1) {
            j++;
          }
          dense.read(rowOfImage[first + i], j - i, scratch, i * per);
          i = j;
        }
        return new Batch(scratch, 0);
      }

      @Override
      public ProbeAnnotation annotation(int image) {
        return BrodenProbes.read(set, image);
      }
    };
  }

  @Override
  public String toString() {
    return "BrodenProbeSource(" + set.root() + ", " + set.size() + " images, dense " + Arrays.toString(dense.shape())
        + ")";
  }
}
