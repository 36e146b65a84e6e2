package org.clipmsm.io;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;
import org.clipmsm.InvalidInputException;

/**
 * FreeSurfer MGH/MGZ volumes and surface overlays (NSD's fsaverage betas are {lh,rh}.betas_sessionNN.mgh,
 * 163842 x 1 x 1 x 750 float32). Big-endian; header: version int32 = 1, dims int32[4] (width, height, depth,
 * frames), type int32 (0 uchar, 1 int32, 3 float32, 4 int16), dof int32, goodRASFlag int16, delta float32[3],
 * Mdc float32[3x3], Pxyz_c float32[3]; data at byte 284, column-major (x fastest, frames slowest); an optional
 * footer (tr, flip angle, te, ti, fov, tags) follows. .mgz is the same gzipped.
 */
public final class Mgh {
  static final int DATA_OFFSET = 284;
  public static final int UCHAR = 0;
  public static final int INT32 = 1;
  public static final int FLOAT32 = 3;
  public static final int INT16 = 4;

  private Mgh() {}

  /** The header fields the readers and writers use. */
  public record Header(int[] dims, int type, int dof, boolean goodRas, float[] delta, float[] mdc, float[] center) {
    /** Voxels (or vertices) per frame. */
    public long voxels() {
      return (long) dims[0] * dims[1] * dims[2];
    }

    public int frames() {
      return dims[3];
    }

    int itemSize() {
      return type == UCHAR ? 1 : type == INT16 ? 2 : 4;
    }
  }

  public static Header readHeader(Path file) {
    try (InputStream in = MaybeGzip.open(file)) {
      return parseHeader(new DataInputStream(in), file);
    } catch (IOException e) {
      throw new InvalidInputException(Channels.name(file) + ": cannot read (" + Channels.describe(e) + ")", e);
    }
  }

  /** All values, column-major (voxel/vertex fastest, then frames). */
  public static double[] readData(Path file) {
    Header h = readHeader(file);
    long n = h.voxels() * h.frames();
    if (n > Integer.MAX_VALUE) {
      throw new InvalidInputException(Channels.name(file) + ": " + n + " values do not fit one array; use readFrames");
    }
    int voxels = (int) h.voxels();
    int frames = h.frames();
    int[] all = new int[voxels];
    for (int i = 0; i < voxels; i++) {
      all[i] = i;
    }
    double[] byVoxel = readFrames(file, all);
    double[] out = new double[byVoxel.length];
    for (int v = 0; v < voxels; v++) {
      for (int t = 0; t < frames; t++) {
        out[v + voxels * t] = byVoxel[t + frames * v];
      }
    }
    return out;
  }

  /**
   * The listed voxels (linear indices within a frame) for every frame: result[t + frames * v], a voxel's frames
   * contiguous (images x voxels when frames are trials). Streams the file once, one frame at a time.
   */
  public static double[] readFrames(Path file, int[] voxels) {
    try (InputStream in = MaybeGzip.open(file)) {
      DataInputStream d = new DataInputStream(in);
      Header h = parseHeader(d, file);
      for (int v : voxels) {
        if (v < 0 || v >= h.voxels()) {
          throw new InvalidInputException(Channels.name(file) + ": voxel " + v + " out of range (0.."
              + (h.voxels() - 1) + ")");
        }
      }
      d.skipNBytes(DATA_OFFSET - 90);
      int frames = h.frames();
      int per = Math.toIntExact(h.voxels());
      byte[] frame = new byte[Math.multiplyExact(per, h.itemSize())];
      ByteBuffer buf = ByteBuffer.wrap(frame); // big-endian, as MGH
      double[] out = new double[Math.multiplyExact(voxels.length, frames)];
      for (int t = 0; t < frames; t++) {
        d.readFully(frame);
        for (int k = 0; k < voxels.length; k++) {
          int v = voxels[k];
          out[t + frames * k] = switch (h.type()) {
            case UCHAR -> frame[v] & 0xff;
            case INT16 -> buf.getShort(2 * v);
            case INT32 -> buf.getInt(4 * v);
            default -> buf.getFloat(4 * v);
          };
        }
      }
      return out;
    } catch (EOFException e) {
      throw new InvalidInputException(Channels.name(file) + ": truncated (the header promises more data)", e);
    } catch (IOException e) {
      throw new InvalidInputException(Channels.name(file) + ": cannot read (" + Channels.describe(e) + ")", e);
    }
  }

  /**
   * Writes an MGH (or, for a name ending in .mgz, gzipped) file with the geometry of {@code like} (null: unit voxel
   * size, identity direction cosines, centre 0, goodRASFlag 0) and a zero footer, via a temporary file and a move.
   */
  public static void write(Path file, int[] dims, double[] data, int type, Header like) {
    if (dims.length != 4 || (long) dims[0] * dims[1] * dims[2] * dims[3] != data.length) {
      throw new IllegalArgumentException("dims " + java.util.Arrays.toString(dims) + " do not match " + data.length
          + " values");
    }
    if (type != UCHAR && type != INT16 && type != INT32 && type != FLOAT32) {
      throw new IllegalArgumentException("MGH type " + type + " (expected 0, 1, 3 or 4)");
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      try (OutputStream raw = Files.newOutputStream(tmp);
          OutputStream z = MaybeGzip.wantsGzip(file) ? new GZIPOutputStream(raw, 1 << 16) : raw;
          DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(z, 1 << 16))) {
        out.writeInt(1);
        for (int d : dims) {
          out.writeInt(d);
        }
        out.writeInt(type);
        out.writeInt(like == null ? 0 : like.dof());
        out.writeShort(like != null && like.goodRas() ? 1 : 0);
        float[] delta = like == null ? new float[] {1, 1, 1} : like.delta();
        float[] mdc = like == null ? new float[] {-1, 0, 0, 0, 0, -1, 0, 1, 0} : like.mdc();
        float[] center = like == null ? new float[3] : like.center();
        for (float f : delta) {
          out.writeFloat(f);
        }
        for (float f : mdc) {
          out.writeFloat(f);
        }
        for (float f : center) {
          out.writeFloat(f);
        }
        out.write(new byte[DATA_OFFSET - 90]);
        for (double v : data) {
          switch (type) {
            case UCHAR -> out.writeByte((int) Math.round(v));
            case INT16 -> out.writeShort((int) Math.round(v));
            case INT32 -> out.writeInt((int) Math.round(v));
            default -> out.writeFloat((float) v);
          }
        }
        // Footer: tr, flip angle, te, ti, fov (nibabel writes these five).
        for (int i = 0; i < 5; i++) {
          out.writeFloat(0f);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original failure is the one to report
      }
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Header parseHeader(DataInputStream d, Path file) throws IOException {
    String name = Channels.name(file);
    try {
      int version = d.readInt();
      if (version != 1) {
        throw new InvalidInputException(name + ": not an MGH file (version " + version + ", expected 1)");
      }
      int[] dims = {d.readInt(), d.readInt(), d.readInt(), d.readInt()};
      for (int x : dims) {
        if (x < 1) {
          throw new InvalidInputException(name + ": bad MGH dims " + java.util.Arrays.toString(dims));
        }
      }
      int type = d.readInt();
      if (type != UCHAR && type != INT16 && type != INT32 && type != FLOAT32) {
        throw new InvalidInputException(name + ": unsupported MGH type " + type
            + " (expected 0 uchar, 1 int32, 3 float32 or 4 int16)");
      }
      int dof = d.readInt();
      boolean goodRas = d.readShort() != 0;
      float[] delta = {d.readFloat(), d.readFloat(), d.readFloat()};
      float[] mdc = new float[9];
      for (int i = 0; i < 9; i++) {
        mdc[i] = d.readFloat();
      }
      float[] center = {d.readFloat(), d.readFloat(), d.readFloat()};
      return new Header(dims, type, dof, goodRas, delta, mdc, center);
    } catch (EOFException e) {
      throw new InvalidInputException(name + ": truncated MGH header", e);
    }
  }
}
