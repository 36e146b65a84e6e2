package org.clipmsm.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.clipmsm.netdissect.ConceptTally;
import org.clipmsm.netdissect.VoxelLabel;

/**
 * Network Dissection of a block of voxels ({@link DissectNetwork}): voxels {@code firstVoxel ..} in order, each
 * with its threshold {@code T_v}, its IoU with every concept and its label.
 *
 * @param thresholds {@code T_v} per voxel of the block
 * @param iou row-major {@code voxels x (concepts - 1)}: the IoU of voxel v with concept number {@code c} at {@code
 *     iou[v (concepts - 1) + c - 1]} (number 0, the unlabelled, left out); 0 for a number that is not scored
 * @param labels per voxel, the concept of highest IoU (see {@link VoxelLabel})
 */
public record NetDissectBlock(long firstVoxel, double[] thresholds, double[] iou, List<VoxelLabel> labels) {
  public NetDissectBlock {
    labels = List.copyOf(labels);
  }

  /** The block's outcome from its tally. */
  public static NetDissectBlock of(long firstVoxel, ConceptTally tally, double iouThreshold) {
    int voxels = tally.voxels();
    int concepts = tally.table().concepts() - 1;
    double[] iou = new double[voxels * concepts];
    for (int v = 0; v < voxels; v++) {
      for (int c = 1; c <= concepts; c++) {
        iou[v * concepts + c - 1] = tally.iou(v, c); // 0 for a concept that is not scored
      }
    }
    return new NetDissectBlock(firstVoxel, tally.thresholds(), iou, tally.labels(iouThreshold));
  }

  public int voxels() {
    return thresholds.length;
  }

  /** Coder: the first voxel, the thresholds, the IoUs, then each label's concept, category, IoU and flag. */
  public static final class Coder extends CustomCoder<NetDissectBlock> {
    private static final long serialVersionUID = 1L;

    public static Coder of() {
      return new Coder();
    }

    @Override
    public void encode(NetDissectBlock b, OutputStream out) throws IOException {
      DataOutputStream d = ArrayCoding.data(out);
      d.writeLong(b.firstVoxel());
      ArrayCoding.writeDoubles(d, b.thresholds());
      ArrayCoding.writeDoubles(d, b.iou());
      d.writeInt(b.labels().size());
      for (VoxelLabel l : b.labels()) {
        d.writeInt(l.concept());
        d.writeInt(l.category());
        d.writeDouble(l.iou());
        d.writeBoolean(l.interpretable());
      }
    }

    @Override
    public NetDissectBlock decode(InputStream in) throws IOException {
      DataInputStream d = ArrayCoding.data(in);
      long first = d.readLong();
      double[] thresholds = ArrayCoding.readDoubles(d);
      double[] iou = ArrayCoding.readDoubles(d);
      int n = d.readInt();
      List<VoxelLabel> labels = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        labels.add(new VoxelLabel(d.readInt(), d.readInt(), d.readDouble(), d.readBoolean()));
      }
      return new NetDissectBlock(first, thresholds, iou, labels);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
