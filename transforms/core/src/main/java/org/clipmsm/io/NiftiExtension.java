package org.clipmsm.io;

import java.util.Arrays;

/**
 * One NIfTI header extension: its code ({@code ecode}, e.g. 32 for a CIFTI-2 XML document) and its payload.
 *
 * <p>On disk an extension is an int32 {@code esize} (a multiple of 16, counting these 8 bytes), an int32 {@code
 * ecode} and {@code esize - 8} bytes of content. The payload read from a file is those content bytes exactly as
 * stored, including any trailing zero padding (as nibabel's {@code Nifti1Extension.get_content()} returns them);
 * the writer pads a payload with zeros to the next multiple of 16.
 *
 * @param code the extension code ({@code ecode})
 * @param payload the content bytes; the record keeps its own copy
 */
public record NiftiExtension(int code, byte[] payload) {
  public NiftiExtension {
    payload = payload.clone();
  }

  /** A copy of the content bytes. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Bytes this extension takes in a file: 8 bytes of size and code, then the payload padded to a multiple of 16. */
  int storedSize() {
    return (8 + payload.length + 15) / 16 * 16;
  }

  /** Raw access without a copy, for the writer. */
  byte[] payloadNoCopy() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NiftiExtension e && e.code == code && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * code + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "NiftiExtension[code=" + code + ", " + payload.length + " bytes]";
  }
}
