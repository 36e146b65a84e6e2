package org.clipmsm.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.clipmsm.stimuli.ImageRef;

/** Beam coder of an {@link ImageRef}: key, path and row. */
public final class ImageRefCoder extends AtomicCoder<ImageRef> {
  private static final long serialVersionUID = 1L;
  private static final ImageRefCoder INSTANCE = new ImageRefCoder();

  public static ImageRefCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageRef r, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(r.key(), out);
    StringUtf8Coder.of().encode(r.path(), out);
    VarIntCoder.of().encode(r.row() + 1, out);
  }

  @Override
  public ImageRef decode(InputStream in) throws IOException {
    return new ImageRef(StringUtf8Coder.of().decode(in), StringUtf8Coder.of().decode(in),
        VarIntCoder.of().decode(in) - 1);
  }

  @Override
  public void verifyDeterministic() {}
}
