package org.clipmsm.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidInputException;

/**
 * The parsed and validated header of a single-file NIfTI-1 ({@code n+1}) or NIfTI-2 ({@code n+2}) image, with its
 * header extensions. Immutable; accessors return copies.
 *
 * <p>Layouts (nifti1.h and nifti2.h): NIfTI-1 has a 348-byte header, int16 dims and float32 fields; NIfTI-2 a
 * 540-byte header, int64 dims and float64 fields. Either may be little- or big-endian: the byte order is the one in
 * which {@code sizeof_hdr} reads 348 (or 540). After the header come 4 extender bytes; when the first is non-zero,
 * extensions follow up to {@code vox_offset}, where the voxel data start.
 */
public final class NiftiHeader {
  static final int NIFTI1_HEADER_BYTES = 348;
  static final int NIFTI2_HEADER_BYTES = 540;
  /** The first 4 bytes of a NIfTI-1 single file's magic; "ni1\0" marks a .hdr/.img pair. */
  static final byte[] MAGIC1 = {'n', '+', '1', 0};
  /** NIfTI-2's 8-byte magic: like PNG's, it catches text-mode and 7-bit transfer damage. */
  static final byte[] MAGIC2 = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};
  /** Larger extension areas are refused: real ones (CIFTI XML) are at most a few megabytes. */
  private static final long MAX_EXTENSION_BYTES = 1L << 30;

  private final int version;
  private final ByteOrder order;
  private final long[] dims;
  private final NiftiDatatype type;
  /** All 8 stored pixdim values: pixdim[0] is qfac. */
  private final double[] pixdimAll;
  private final double sclSlope;
  private final double sclInter;
  private final int qformCode;
  private final int sformCode;
  private final double[][] sform;
  private final double[] quatern;
  private final int intentCode;
  private final int xyztUnits;
  private final long voxOffset;
  private final List<NiftiExtension> extensions;
  private final String source;

  private NiftiHeader(Builder b) {
    this.version = b.version;
    this.order = b.order;
    this.dims = b.dims;
    this.type = b.type;
    this.pixdimAll = b.pixdimAll;
    this.sclSlope = b.sclSlope;
    this.sclInter = b.sclInter;
    this.qformCode = b.qformCode;
    this.sformCode = b.sformCode;
    this.sform = b.sform;
    this.quatern = b.quatern;
    this.intentCode = b.intentCode;
    this.xyztUnits = b.xyztUnits;
    this.voxOffset = b.voxOffset;
    this.extensions = List.copyOf(b.extensions);
    this.source = b.source;
  }

  /** 1 for NIfTI-1, 2 for NIfTI-2. */
  public int version() {
    return version;
  }

  /** The used dimensions {@code dim[1..dim[0]]}, e.g. {@code {81, 104, 83}} or {@code {81, 104, 83, 750}}. */
  public long[] dims() {
    return dims.clone();
  }

  /** The NIfTI datatype code, e.g. 16 for float32. */
  public int datatype() {
    return type.code();
  }

  /** The datatype as numpy names it: "uint8", "int16", "float32" ... */
  public String datatypeName() {
    return type.typeName();
  }

  /** Voxel sizes (and the time step, for a 4th dimension) of the used dimensions: {@code pixdim[1..dim[0]]}. */
  public double[] pixdim() {
    return Arrays.copyOfRange(pixdimAll, 1, 1 + dims.length);
  }

  /** The stored {@code scl_slope}; 0 or NaN means the data are not scaled. */
  public double sclSlope() {
    return sclSlope;
  }

  /** The stored {@code scl_inter}, used only when {@link #isScaled()}. */
  public double sclInter() {
    return sclInter;
  }

  /** Whether values are {@code raw * sclSlope + sclInter}: the slope is non-zero and finite (nibabel's rule). */
  public boolean isScaled() {
    return sclSlope != 0 && Double.isFinite(sclSlope);
  }

  public int qformCode() {
    return qformCode;
  }

  public int sformCode() {
    return sformCode;
  }

  /** The 3 x 4 matrix {@code srow_x, srow_y, srow_z} as stored, whatever the sform code. */
  public double[][] sform() {
    return copy(sform);
  }

  /** {@code quatern_b, quatern_c, quatern_d, qoffset_x, qoffset_y, qoffset_z} as stored. */
  public double[] quatern() {
    return quatern.clone();
  }

  /** The qform's handedness: -1 when {@code pixdim[0]} is negative, else 1 (a stored 0 means 1). */
  public double qfac() {
    return pixdimAll[0] < 0 ? -1 : 1;
  }

  /**
   * The 4 x 4 voxel-to-world matrix chosen as nibabel's {@code get_best_affine} does: the sform when {@code
   * sform_code > 0}, else the qform when {@code qform_code > 0}, else nibabel's base affine for the shape and voxel
   * sizes (x flipped, centred on the volume: {@code diag(-px, py, pz)} with offsets {@code (dim - 1) / 2 * size}).
   */
  public double[][] affine() {
    if (sformCode > 0) {
      double[][] a = new double[4][];
      for (int r = 0; r < 3; r++) {
        a[r] = sform[r].clone();
      }
      a[3] = new double[] {0, 0, 0, 1};
      return a;
    }
    if (qformCode > 0) {
      return qformAffine();
    }
    return baseAffine();
  }

  /**
   * The qform as a 4 x 4 matrix (nifti1.h "method 2"): rotation from the unit quaternion {@code (a, b, c, d)} with
   * {@code a = sqrt(1 - b^2 - c^2 - d^2)}, columns scaled by pixdim[1..3] (pixdim[3] times qfac), plus qoffset.
   */
  public double[][] qformAffine() {
    double b = quatern[0];
    double c = quatern[1];
    double d = quatern[2];
    double w2 = 1 - (b * b + c * c + d * d);
    // As nibabel's fillpositive: a slightly negative w2 is float32 rounding of a 180-degree rotation.
    double a = w2 < 0 ? 0 : Math.sqrt(w2);
    double[][] r = {
      {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
      {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
      {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}
    };
    double[] zoom = {pixdimAll[1], pixdimAll[2], pixdimAll[3] * qfac()};
    double[][] m = new double[4][4];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        m[i][j] = r[i][j] * zoom[j];
      }
      m[i][3] = quatern[3 + i];
    }
    m[3][3] = 1;
    return m;
  }

  private double[][] baseAffine() {
    double[][] m = new double[4][4];
    for (int i = 0; i < 3; i++) {
      long n = i < dims.length ? dims[i] : 1;
      double size = i < dims.length ? pixdimAll[1 + i] : 1;
      double s = i == 0 ? -size : size;
      m[i][i] = s;
      m[i][3] = -(n - 1) / 2.0 * s;
    }
    m[3][3] = 1;
    return m;
  }

  /** The NIfTI intent code, e.g. 3006 for a CIFTI-2 dense data series. */
  public int intentCode() {
    return intentCode;
  }

  /** Bytes of voxel data the header promises: the product of the dims times the item size. */
  public long dataBytes() {
    long n = type.size();
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /** Byte offset of the voxel data in the (decompressed) file. */
  public long voxOffset() {
    return voxOffset;
  }

  /** The header extensions in file order; empty when there are none. */
  public List<NiftiExtension> extensions() {
    return extensions;
  }

  @Override
  public String toString() {
    return "NIfTI-" + version + " " + datatypeName() + " " + shapeString(dims) + " at offset " + voxOffset;
  }

  // ---- package-private ----

  NiftiDatatype type() {
    return type;
  }

  ByteOrder order() {
    return order;
  }

  int xyztUnits() {
    return xyztUnits;
  }

  /** The raw pixdim[0..7]. */
  double[] pixdimAll() {
    return pixdimAll.clone();
  }

  String source() {
    return source;
  }

  /** Number of voxels in the file: the product of the dims (checked not to overflow when read). */
  long voxelCount() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  InvalidInputException invalid(String what) {
    return new InvalidInputException(source + ": " + what);
  }

  /** {@code (81, 104, 83, 750)}. */
  static String shapeString(long[] dims) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return sb.append(dims.length == 1 ? ",)" : ")").toString();
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  // ---- reading ----

  /**
   * Reads the header and extensions from the start of {@code in}, leaving it at {@code vox_offset}, the first data
   * byte.
   *
   * @throws InvalidInputException if this is not a single-file NIfTI-1 or NIfTI-2 image of a supported datatype
   */
  static NiftiHeader read(NiftiInput in) {
    String source = in.source();
    byte[] head = new byte[NIFTI2_HEADER_BYTES];
    int got = in.read(head, 0, 4, "header", true);
    if (got < 4) {
      throw new InvalidInputException(source + ": not a NIfTI file (only " + got + " bytes)");
    }
    ByteBuffer bb = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    int le = bb.getInt(0);
    int be = Integer.reverseBytes(le);
    int size;
    ByteOrder order;
    if (le == NIFTI1_HEADER_BYTES || le == NIFTI2_HEADER_BYTES) {
      size = le;
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (be == NIFTI1_HEADER_BYTES || be == NIFTI2_HEADER_BYTES) {
      size = be;
      order = ByteOrder.BIG_ENDIAN;
    } else {
      throw new InvalidInputException(source + ": not a NIfTI file (sizeof_hdr is " + le + ", expected "
          + NIFTI1_HEADER_BYTES + " or " + NIFTI2_HEADER_BYTES + ")");
    }
    in.readFully(head, 4, size - 4, "header");
    bb.order(order);
    Builder b = size == NIFTI1_HEADER_BYTES ? parse1(bb, source) : parse2(bb, source);
    b.order = order;
    b.source = source;
    readExtensions(in, b, size);
    return new NiftiHeader(b);
  }

  /** NIfTI-1 field offsets from nifti1.h. */
  private static Builder parse1(ByteBuffer h, String source) {
    checkMagic(h, 344, MAGIC1, "ni1", source, 1);
    Builder b = new Builder(source);
    b.version = 1;
    long[] dim = new long[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = h.getShort(40 + 2 * i);
    }
    b.dims = usedDims(dim, source);
    b.intentCode = h.getShort(68);
    b.type = datatype(h.getShort(70), source);
    for (int i = 0; i < 8; i++) {
      b.pixdimAll[i] = h.getFloat(76 + 4 * i);
    }
    float vox = h.getFloat(108);
    // nibabel reads a 0 offset of a single file as "right after the header and extender" (its fix for old writers).
    b.voxOffset = vox == 0 ? NIFTI1_HEADER_BYTES + 4 : (long) vox;
    if (!(vox == 0 || (vox >= NIFTI1_HEADER_BYTES + 4 && vox == Math.rint(vox)))) {
      throw b.invalid("vox_offset " + vox + " is not a whole number >= 352");
    }
    b.sclSlope = h.getFloat(112);
    b.sclInter = h.getFloat(116);
    b.xyztUnits = h.get(123) & 0xff;
    b.qformCode = h.getShort(252);
    b.sformCode = h.getShort(254);
    for (int i = 0; i < 6; i++) {
      b.quatern[i] = h.getFloat(256 + 4 * i);
    }
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        b.sform[r][c] = h.getFloat(280 + 16 * r + 4 * c);
      }
    }
    return b;
  }

  /** NIfTI-2 field offsets from nifti2.h. */
  private static Builder parse2(ByteBuffer h, String source) {
    checkMagic(h, 4, MAGIC2, "ni2", source, 2);
    Builder b = new Builder(source);
    b.version = 2;
    b.type = datatype(h.getShort(12), source);
    long[] dim = new long[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = h.getLong(16 + 8 * i);
    }
    b.dims = usedDims(dim, source);
    for (int i = 0; i < 8; i++) {
      b.pixdimAll[i] = h.getDouble(104 + 8 * i);
    }
    long vox = h.getLong(168);
    b.voxOffset = vox == 0 ? NIFTI2_HEADER_BYTES + 4 : vox;
    if (b.voxOffset < NIFTI2_HEADER_BYTES + 4) {
      throw b.invalid("vox_offset " + vox + " is inside the header (expected >= 544)");
    }
    b.sclSlope = h.getDouble(176);
    b.sclInter = h.getDouble(184);
    b.qformCode = h.getInt(344);
    b.sformCode = h.getInt(348);
    for (int i = 0; i < 6; i++) {
      b.quatern[i] = h.getDouble(352 + 8 * i);
    }
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        b.sform[r][c] = h.getDouble(400 + 32 * r + 8 * c);
      }
    }
    b.xyztUnits = h.getInt(500);
    b.intentCode = h.getInt(504);
    return b;
  }

  private static void checkMagic(ByteBuffer h, int at, byte[] magic, String pairMagic, String source, int version) {
    byte[] found = new byte[magic.length];
    h.get(at, found);
    if (Arrays.equals(found, magic)) {
      return;
    }
    String text = new String(found, 0, 3, StandardCharsets.ISO_8859_1);
    if (text.equals(pairMagic)) {
      throw new InvalidInputException(source + ": NIfTI-" + version + " header of a .hdr/.img pair (magic \""
          + pairMagic + "\"); only single-file .nii (magic \"n+" + version + "\") is supported");
    }
    throw new InvalidInputException(source + ": not a NIfTI-" + version + " file (magic at byte " + at + " is "
        + printable(found) + ", expected \"n+" + version + "\")");
  }

  private static String printable(byte[] bytes) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte x : bytes) {
      int c = x & 0xff;
      sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return sb.append('"').toString();
  }

  private static NiftiDatatype datatype(int code, String source) {
    NiftiDatatype t = NiftiDatatype.ofCode(code);
    if (t == null) {
      throw new InvalidInputException(source + ": unsupported datatype " + code + " (expected "
          + NiftiDatatype.SUPPORTED + ")");
    }
    return t;
  }

  /** dim[1..dim[0]], checked: 1 <= dim[0] <= 7, every used dim >= 1, and the voxel count fits a long. */
  private static long[] usedDims(long[] dim, String source) {
    if (dim[0] < 1 || dim[0] > 7) {
      throw new InvalidInputException(source + ": dim[0] is " + dim[0] + ", expected 1 to 7 dimensions");
    }
    long[] used = Arrays.copyOfRange(dim, 1, 1 + (int) dim[0]);
    long n = 1;
    for (long d : used) {
      if (d < 1) {
        throw new InvalidInputException(source + ": dimensions " + shapeString(used) + " must all be >= 1");
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw new InvalidInputException(source + ": dimensions " + shapeString(used) + " have too many voxels", e);
      }
    }
    return used;
  }

  /**
   * Reads the bytes between the header and vox_offset: the 4-byte extender, whose first byte is non-zero when
   * extensions follow, then blocks of int32 esize, int32 ecode and esize - 8 bytes of content.
   */
  private static void readExtensions(NiftiInput in, Builder b, int headerSize) {
    long rest = b.voxOffset - headerSize;
    if (rest > MAX_EXTENSION_BYTES) {
      throw b.invalid("vox_offset " + b.voxOffset + " leaves " + rest + " bytes for extensions, more than "
          + MAX_EXTENSION_BYTES);
    }
    byte[] ext = new byte[(int) rest];
    in.readFully(ext, 0, ext.length, "header extensions (vox_offset is " + b.voxOffset + ")");
    if (ext.length < 4 || ext[0] == 0) {
      return;
    }
    ByteBuffer e = ByteBuffer.wrap(ext).order(b.order);
    int at = 4;
    // Stop at vox_offset; fewer than 8 bytes left cannot hold an extension (padding before the data).
    while (ext.length - at >= 8) {
      int esize = e.getInt(at);
      int ecode = e.getInt(at + 4);
      if (esize == 0 && ecode == 0) {
        break; // zero padding up to vox_offset
      }
      if (esize < 8 || esize > ext.length - at) {
        throw b.invalid("extension at byte " + (headerSize + at) + " has esize " + esize + ", expected 8 to "
            + (ext.length - at) + " (a multiple of 16 that ends before vox_offset " + b.voxOffset + ")");
      }
      b.extensions.add(new NiftiExtension(ecode, Arrays.copyOfRange(ext, at + 8, at + esize)));
      at += esize;
    }
  }

  /** Fields gathered while parsing, or set by the writer. */
  static final class Builder {
    int version;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    long[] dims;
    NiftiDatatype type;
    double[] pixdimAll = new double[8];
    double sclSlope;
    double sclInter;
    int qformCode;
    int sformCode;
    double[][] sform = new double[3][4];
    double[] quatern = new double[6];
    int intentCode;
    int xyztUnits;
    long voxOffset;
    List<NiftiExtension> extensions = new ArrayList<>();
    String source;

    Builder(String source) {
      this.source = source;
    }

    InvalidInputException invalid(String what) {
      return new InvalidInputException(source + ": " + what);
    }

    NiftiHeader build() {
      return new NiftiHeader(this);
    }
  }
}
