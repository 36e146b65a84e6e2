package org.clipmsm.io;

import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidInputException;

/**
 * Dense CIFTI-2 files (.dscalar.nii, .dlabel.nii, .dtseries.nii): a NIfTI-2 file whose dims 5 and 6 are maps and
 * grayordinates, with the CIFTI XML in extension code 32. Data come out maps x grayordinates, column-major (the
 * map index varies fastest on disk), e.g. NOD's single-trial betas as trials x grayordinates.
 */
public final class Cifti {
  /** The CIFTI extension code of NIfTI-2. */
  public static final int EXTENSION_CODE = 32;
  public static final int INTENT_DSCALAR = 3006;
  public static final int INTENT_DLABEL = 3007;

  private Cifti() {}

  /** The XML and the data (maps x grayordinates, column-major) of a dense CIFTI-2 file. */
  public record Dense(CiftiXml xml, double[] data) {
    public int maps() {
      return xml.mapCount();
    }

    public int grayordinates() {
      return xml.grayordinates();
    }
  }

  public static CiftiXml readXml(Path file) {
    NiftiHeader h = Nifti.readHeader(file);
    return xml(h, file);
  }

  public static Dense read(Path file) {
    NiftiHeader h = Nifti.readHeader(file);
    CiftiXml xml = xml(h, file);
    checkDims(h, xml, file);
    return new Dense(xml, Nifti.readData(file));
  }

  /**
   * The maps of the chosen grayordinates only: maps x grayordinates.length, column-major ({@code result[m + maps * p]}
   * for grayordinate {@code grayordinates[p]}), streaming the file once and decoding only those values.
   */
  public static double[] readGrayordinates(Path file, int[] grayordinates) {
    NiftiHeader h = Nifti.readHeader(file);
    CiftiXml xml = xml(h, file);
    checkDims(h, xml, file);
    return Nifti.readRuns(file, xml.mapCount(), grayordinates);
  }

  /**
   * Writes named scalar maps (maps x grayordinates, column-major) over the brain models of {@code like}: a
   * per-grayordinate result in a source file's space, which Connectome Workbench and nibabel open.
   */
  public static void writeScalars(Path file, List<String> mapNames, double[] data, CiftiXml like) {
    CiftiXml xml = CiftiXml.scalars(mapNames, like);
    long gray = xml.grayordinates();
    if ((long) mapNames.size() * gray != data.length) {
      throw new IllegalArgumentException(mapNames.size() + " maps x " + gray + " grayordinates need "
          + mapNames.size() * gray + " values, got " + data.length);
    }
    long[] dims = {1, 1, 1, 1, mapNames.size(), gray};
    Nifti.write2(file, dims, data, 16, null, List.of(new NiftiExtension(EXTENSION_CODE, xml.toXml())),
        INTENT_DSCALAR);
  }

  /** Writes one label map (label keys per grayordinate) with its table over the brain models of {@code like}. */
  public static void writeLabels(Path file, String mapName, List<CiftiXml.Label> labels, double[] keys,
      CiftiXml like) {
    CiftiXml xml = CiftiXml.labels(mapName, labels, like);
    if (keys.length != xml.grayordinates()) {
      throw new IllegalArgumentException(xml.grayordinates() + " grayordinates need as many keys, got " + keys.length);
    }
    long[] dims = {1, 1, 1, 1, 1, keys.length};
    Nifti.write2(file, dims, keys, 16, null, List.of(new NiftiExtension(EXTENSION_CODE, xml.toXml())),
        INTENT_DLABEL);
  }

  private static void checkDims(NiftiHeader h, CiftiXml xml, Path file) {
    long[] dims = h.dims();
    long maps = dims.length > 4 ? dims[4] : 1;
    long gray = dims.length > 5 ? dims[5] : 1;
    if (dims.length < 6 || maps != xml.mapCount() || gray != xml.grayordinates()) {
      throw new InvalidInputException(Channels.name(file) + ": NIfTI dims " + java.util.Arrays.toString(dims)
          + " do not match the CIFTI XML (" + xml.mapCount() + " maps x " + xml.grayordinates()
          + " grayordinates in dims 5 and 6)");
    }
  }

  /** The CIFTI XML of an already read header (no second read of the file). */
  public static CiftiXml xml(NiftiHeader h, Path file) {
    if (h.version() != 2) {
      throw new InvalidInputException(Channels.name(file) + ": a NIfTI-" + h.version()
          + " file; CIFTI-2 is NIfTI-2 with a CIFTI extension");
    }
    for (NiftiExtension e : h.extensions()) {
      if (e.code() == EXTENSION_CODE) {
        return CiftiXml.parse(e.payload(), Channels.name(file));
      }
    }
    throw new InvalidInputException(Channels.name(file) + ": no CIFTI extension (code 32) in this NIfTI-2 file");
  }
}
