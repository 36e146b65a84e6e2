package org.clipmsm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.clipmsm.InvalidInputException;

/**
 * The header of a NumPy {@code .npy} file: element type, memory order, shape and where the data start.
 *
 * <p>Format (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic string {@code "\x93NUMPY"}, one byte major and
 * one byte minor version, the header length as a little-endian uint16 (1.0) or uint32 (2.0, 3.0), then the header:
 * a Python dict literal with the keys {@code 'descr'}, {@code 'fortran_order'} and {@code 'shape'}, in Latin-1
 * (UTF-8 for 3.0), padded with spaces and a final {@code '\n'}. The data follow right after it.
 *
 * <p>Besides its shape, a header offers a matrix view: a 1-D array {@code (n,)} is an {@code n x 1} matrix, and an
 * {@code (n, 1, d)} array (how precomputed CLIP features are stored) is {@code n x d}. Both have the same memory
 * layout as the 2-D array they stand for, in C and in Fortran order. Immutable.
 */
public final class NpyHeader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Magic, two version bytes and a uint16 length: the prefix of a version 1.0 header. */
  private static final int V1_PREFIX = MAGIC.length + 2 + 2;
  /** Versions 2.0 and 3.0 store the header length as a uint32. */
  private static final int V2_PREFIX = MAGIC.length + 2 + 4;
  /** numpy.lib.format.ARRAY_ALIGN: the data start at a multiple of this. */
  private static final int ARRAY_ALIGN = 64;
  /**
   * numpy.lib.format.GROWTH_AXIS_MAX_DIGITS: NumPy pads the dict with spaces so that the growth axis (the first in C
   * order) could take this many digits without moving the data; reproduced so that written files match np.save.
   */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  /** A sane cap: NumPy itself refuses headers over 10,000 bytes unless told otherwise. */
  private static final int MAX_HEADER_BYTES = 1 << 20;
  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

  private final String descr;
  private final boolean fortranOrder;
  private final long[] shape;
  private final long dataOffset;
  private final ElementType type;
  private final ByteOrder byteOrder;
  private final String source;

  private NpyHeader(
      String descr, boolean fortranOrder, long[] shape, long dataOffset, ElementType type, String source) {
    this.descr = descr;
    this.fortranOrder = fortranOrder;
    this.shape = shape;
    this.dataOffset = dataOffset;
    this.type = type;
    this.byteOrder = ElementType.byteOrderOf(descr);
    this.source = source;
  }

  /** The array-protocol type string as stored, e.g. {@code "<f4"}. */
  public String descr() {
    return descr;
  }

  /** Whether the data are in Fortran (column-major) rather than C (row-major) order. */
  public boolean fortranOrder() {
    return fortranOrder;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Byte offset of the first data byte in the file. */
  public long dataOffset() {
    return dataOffset;
  }

  /**
   * Rows of the matrix view: {@code n} for shapes {@code (n,)}, {@code (n, m)} and {@code (n, 1, d)}.
   *
   * @throws InvalidInputException for any other shape, or more rows than a Java array can index
   */
  public int rows() {
    return toInt(matrixShape()[0], "rows");
  }

  /**
   * Columns of the matrix view: 1 for {@code (n,)}, {@code m} for {@code (n, m)}, {@code d} for {@code (n, 1, d)}.
   *
   * @throws InvalidInputException for any other shape, or more columns than a Java array can index
   */
  public int cols() {
    return toInt(matrixShape()[1], "columns");
  }

  /** Number of dimensions of the stored shape. */
  public int ndim() {
    return shape.length;
  }

  /** Bytes per element. */
  public int itemSize() {
    return type.size();
  }

  /** NumPy's name of the element type: "float32", "float64", "int8" ... "int64", "uint8", "uint16" or "bool". */
  public String dtypeName() {
    return type.numpyName();
  }

  @Override
  public String toString() {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") + ", 'shape': "
        + shapeString() + "} at offset " + dataOffset;
  }

  ElementType type() {
    return type;
  }

  ByteOrder byteOrder() {
    return byteOrder;
  }

  /** The file name used in messages. */
  String source() {
    return source;
  }

  /** Number of elements (the product of the shape; 1 for a 0-D array). */
  long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d; // cannot overflow: read() checked the product
    }
    return n;
  }

  long dataBytes() {
    return elementCount() * type.size();
  }

  /** The shape as Python prints a tuple: {@code ()}, {@code (3,)}, {@code (3, 4)}. */
  String shapeString() {
    return formatShape(shape);
  }

  /** An exception whose message starts with this file's name. */
  InvalidInputException invalid(String what) {
    return new InvalidInputException(source + ": " + what);
  }

  /** {rows, cols} of the matrix view; see the class comment. */
  private long[] matrixShape() {
    if (shape.length == 1) {
      return new long[] {shape[0], 1};
    }
    if (shape.length == 2) {
      return shape.clone();
    }
    if (shape.length == 3 && shape[1] == 1) {
      return new long[] {shape[0], shape[2]};
    }
    throw invalid("expected a 1-D or 2-D array or an (n, 1, d) array, found shape " + shapeString());
  }

  private int toInt(long n, String what) {
    // Leave headroom below Integer.MAX_VALUE: JVMs cannot allocate arrays of exactly that length.
    if (n > Integer.MAX_VALUE - 8) {
      throw invalid("shape " + shapeString() + " has " + n + " " + what + ", more than a Java array can hold");
    }
    return (int) n;
  }

  static String formatShape(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  // ---- reading ----

  /**
   * Reads and checks the header at the start of {@code ch}: magic, version, dict, dtype, and that the file holds at
   * least as many data bytes as the shape needs.
   *
   * @param source the file name for messages
   * @throws InvalidInputException if the file is not a .npy file this package can read
   * @throws IOException if reading fails
   */
  static NpyHeader read(FileChannel ch, String source) throws IOException {
    long fileSize = ch.size();
    ByteBuffer prefix = readFully(ch, 0, (int) Math.min(V2_PREFIX, fileSize));
    for (int i = 0; i < MAGIC.length; i++) {
      if (i >= prefix.limit() || prefix.get(i) != MAGIC[i]) {
        throw new InvalidInputException(source + ": not a NumPy .npy file (bad magic)");
      }
    }
    if (fileSize < V1_PREFIX) {
      throw new InvalidInputException(source + ": truncated: file ends inside the .npy header");
    }
    int major = prefix.get(MAGIC.length) & 0xFF;
    int minor = prefix.get(MAGIC.length + 1) & 0xFF;
    if ((major != 1 && major != 2 && major != 3) || minor != 0) {
      throw new InvalidInputException(
          source + ": unsupported .npy format version " + major + "." + minor + " (expected 1.0, 2.0 or 3.0)");
    }
    prefix.order(ByteOrder.LITTLE_ENDIAN);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = prefix.getShort(MAGIC.length + 2) & 0xFFFFL;
      headerStart = V1_PREFIX;
    } else {
      if (fileSize < V2_PREFIX) {
        throw new InvalidInputException(source + ": truncated: file ends inside the .npy header");
      }
      headerLength = prefix.getInt(MAGIC.length + 2) & 0xFFFFFFFFL;
      headerStart = V2_PREFIX;
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new InvalidInputException(
          source + ": header of " + headerLength + " bytes is too long (at most " + MAX_HEADER_BYTES + ")");
    }
    if (headerStart + headerLength > fileSize) {
      throw new InvalidInputException(source + ": truncated: header says it is " + headerLength
          + " bytes long, file has " + (fileSize - headerStart) + " after the prefix");
    }
    ByteBuffer raw = readFully(ch, headerStart, (int) headerLength);
    Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    String text = new String(raw.array(), 0, raw.limit(), charset);
    NpyHeader header = parse(text, headerStart + headerLength, source);
    long have = Math.max(0, fileSize - header.dataOffset);
    if (have < header.dataBytes()) {
      throw header.invalid("truncated: header says " + header.dataBytes() + " bytes of data, file has " + have);
    }
    return header;
  }

  private static NpyHeader parse(String text, long dataOffset, String source) {
    PyLiteralParser.Dict dict;
    try {
      dict = PyLiteralParser.parseDict(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": malformed .npy header (" + e.getMessage() + ")", e);
    }
    if (!dict.values().keySet().equals(KEYS)) {
      throw new InvalidInputException(source + ": malformed .npy header (keys " + dict.values().keySet()
          + ", expected [descr, fortran_order, shape])");
    }
    Object descr = dict.values().get("descr");
    ElementType type = descr instanceof String ? ElementType.fromDescr((String) descr) : null;
    if (type == null) {
      throw new InvalidInputException(source + ": unsupported dtype " + dict.sources().get("descr")
          + " (expected " + ElementType.SUPPORTED + ")");
    }
    Object order = dict.values().get("fortran_order");
    if (!(order instanceof Boolean)) {
      throw new InvalidInputException(source + ": malformed .npy header ('fortran_order' is "
          + dict.sources().get("fortran_order") + ", expected True or False)");
    }
    long[] shape = parseShape(dict.values().get("shape"), dict.sources().get("shape"), source);
    long count = 1;
    try {
      for (long d : shape) {
        count = Math.multiplyExact(count, d);
      }
      Math.multiplyExact(count, type.size());
    } catch (ArithmeticException e) {
      throw new InvalidInputException(source + ": shape " + formatShape(shape) + " is too large");
    }
    return new NpyHeader((String) descr, (Boolean) order, shape, dataOffset, type, source);
  }

  private static long[] parseShape(Object value, String sourceText, String source) {
    if (value instanceof List) {
      List<?> dims = (List<?>) value;
      long[] shape = new long[dims.size()];
      boolean ok = true;
      for (int i = 0; i < shape.length; i++) {
        Object d = dims.get(i);
        ok &= d instanceof Long && (Long) d >= 0;
        shape[i] = ok ? (Long) d : 0;
      }
      if (ok) {
        return shape;
      }
    }
    throw new InvalidInputException(
        source + ": malformed .npy header ('shape' is " + sourceText + ", expected a tuple of non-negative integers)");
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    Channels.readFully(ch, buf, position);
    return buf.flip();
  }

  // ---- writing ----

  /**
   * The header np.save writes for a C-order little-endian array of {@code type} and {@code shape}; its data offset
   * is the length of {@link #encode()}.
   */
  static NpyHeader forWriting(ElementType type, long[] shape, String source) {
    NpyHeader unplaced = new NpyHeader(type.littleEndianDescr(), false, shape.clone(), 0, type, source);
    return new NpyHeader(unplaced.descr, false, unplaced.shape, unplaced.encode().length, type, source);
  }

  /**
   * The header bytes exactly as NumPy 2.x's {@code np.save} writes them (format version 1.0): keys in sorted order,
   * each followed by ", ", growth-axis padding, then spaces and a '\n' so that the data start at a multiple of 64.
   */
  byte[] encode() {
    StringBuilder dict = new StringBuilder()
        .append("{'descr': '").append(descr)
        .append("', 'fortran_order': ").append(fortranOrder ? "True" : "False")
        .append(", 'shape': ").append(shapeString())
        .append(", }");
    if (shape.length > 0) {
      long growthAxis = shape[fortranOrder ? shape.length - 1 : 0];
      dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(growthAxis).length())));
    }
    int withNewline = dict.length() + 1;
    // As numpy's _wrap_header: pad = ALIGN - (prefix + len) % ALIGN, which is 64 (not 0) when already aligned.
    int padding = ARRAY_ALIGN - (V1_PREFIX + withNewline) % ARRAY_ALIGN;
    int headerLength = withNewline + padding;
    if (headerLength > 0xFFFF) {
      throw new IllegalStateException("header too long for .npy format 1.0: " + headerLength);
    }
    dict.append(" ".repeat(padding)).append('\n');
    ByteBuffer out = ByteBuffer.allocate(V1_PREFIX + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength);
    out.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
    return out.array();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NpyHeader)) {
      return false;
    }
    NpyHeader h = (NpyHeader) o;
    return descr.equals(h.descr) && fortranOrder == h.fortranOrder && Arrays.equals(shape, h.shape)
        && dataOffset == h.dataOffset;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * descr.hashCode() + Arrays.hashCode(shape)) + Long.hashCode(dataOffset);
  }
}
