package org.clipmsm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;

/** CIFTI-2 XML written by nibabel (src/test/resources/cifti/make_fixtures.py). */
class CiftiXmlTest {
  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(Path.of(CiftiXmlTest.class.getResource("/cifti/" + name).toURI()));
  }

  @Test
  void parsesScalarsAndBrainModels() throws Exception {
    CiftiXml x = CiftiXml.parse(fixture("scalars.xml"), "scalars.xml");
    assertEquals(CiftiXml.SCALARS, x.mapKind());
    assertEquals(List.of("Character", "Body", "Face"), x.maps().stream().map(CiftiXml.NamedMap::name).toList());
    assertEquals(9, x.grayordinates());
    CiftiXml.BrainModel left = x.brainModels().get(0);
    assertEquals("CIFTI_STRUCTURE_CORTEX_LEFT", left.brainStructure());
    assertEquals(8, left.surfaceVertices());
    assertArrayEquals(new int[] {0, 2, 3, 5, 7}, left.vertexIndices());
    CiftiXml.BrainModel right = x.brainModels().get(1);
    assertEquals(5, right.indexOffset());
    assertArrayEquals(new int[] {1, 2, 4, 6}, right.vertexIndices());
  }

  @Test
  void parsesLabelTables() throws Exception {
    CiftiXml x = CiftiXml.parse(fixture("faces.xml"), "faces.xml");
    assertEquals(CiftiXml.LABELS, x.mapKind());
    List<CiftiXml.Label> labels = x.maps().get(0).labels();
    assertEquals(List.of("???", "FFA", "OFA"), labels.stream().map(CiftiXml.Label::name).toList());
    assertEquals(1f, labels.get(1).red());
    assertEquals(0f, labels.get(1).green());
  }

  @Test
  void writesWhatNibabelWrites() throws Exception {
    // Our XML for the same content is nibabel's, byte for byte (both one line, same attribute order).
    for (String f : new String[] {"scalars.xml", "faces.xml"}) {
      byte[] nib = fixture(f);
      assertEquals(new String(nib, StandardCharsets.UTF_8),
          new String(CiftiXml.parse(nib, f).toXml(), StandardCharsets.UTF_8), f);
    }
    CiftiXml scalars = CiftiXml.scalars(List.of("faces", "places"), CiftiXml.parse(fixture("faces.xml"), "f"));
    CiftiXml back = CiftiXml.parse(scalars.toXml(), "ours");
    assertEquals(2, back.mapCount());
    assertEquals(9, back.grayordinates());
  }

  private static Path file(String name) throws Exception {
    return Path.of(CiftiXmlTest.class.getResource("/cifti/" + name).toURI());
  }

  @Test
  void readsNibabelCiftiFiles() throws Exception {
    Cifti.Dense d = Cifti.read(file("scalars.dscalar.nii"));
    assertEquals(3, d.maps());
    assertEquals(9, d.grayordinates());
    for (int g = 0; g < 9; g++) {
      for (int m = 0; m < 3; m++) {
        assertEquals(10 * m + g / 4.0, d.data()[m + 3 * g], 1e-6, "map " + m + ", grayordinate " + g);
      }
    }
    Cifti.Dense labels = Cifti.read(file("faces.dlabel.nii"));
    assertArrayEquals(new double[] {0, 1, 1, 2, 0, 0, 2, 1, 0}, labels.data(), 0);
    assertEquals("FFA", labels.xml().maps().get(0).labels().get(1).name());
  }

  @Test
  void writesScalarMapsInTheSourceSpace(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    CiftiXml like = Cifti.readXml(file("faces.dlabel.nii"));
    double[] data = new double[2 * 9];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5 - 3;
    }
    Path out = tmp.resolve("msm.dscalar.nii");
    Cifti.writeScalars(out, List.of("faces", "places"), data, like);
    Cifti.Dense back = Cifti.read(out);
    assertArrayEquals(data, back.data(), 1e-6);
    assertEquals(List.of("faces", "places"), back.xml().maps().stream().map(CiftiXml.NamedMap::name).toList());
    assertEquals(like.brainModels().get(1).indexOffset(), back.xml().brainModels().get(1).indexOffset());
    assertEquals(Cifti.INTENT_DSCALAR, Nifti.readHeader(out).intentCode());
    // Checked once with nibabel: nib.load gives a Cifti2Image (2, 9) with these maps, names and vertices.
  }

  @Test
  void aNiftiWithoutCiftiIsRejected() throws Exception {
    Path plain = Path.of(CiftiXmlTest.class.getResource("/nifti/float32_4d.nii").toURI());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Cifti.read(plain));
    assertTrue(e.getMessage().contains("float32_4d.nii: a NIfTI-1 file"), e.getMessage());
  }

  @Test
  void rejectsWhatIsNotADenseCifti() {
    byte[] noModels = ("<CIFTI Version=\"2.0\"><Matrix><MatrixIndicesMap AppliesToMatrixDimension=\"0\""
        + " IndicesMapToDataType=\"CIFTI_INDEX_TYPE_SCALARS\"><NamedMap><MapName>a</MapName></NamedMap>"
        + "</MatrixIndicesMap></Matrix></CIFTI>").getBytes(StandardCharsets.UTF_8);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CiftiXml.parse(noModels, "x.nii"));
    assertTrue(e.getMessage().contains("x.nii: CIFTI without brain models"), e.getMessage());
    e = assertThrows(InvalidInputException.class,
        () -> CiftiXml.parse("<CIFTI Version=\"1\"/>".getBytes(StandardCharsets.UTF_8), "old.nii"));
    assertTrue(e.getMessage().contains("old.nii: expected <CIFTI Version=\"2\">"), e.getMessage());
    e = assertThrows(InvalidInputException.class,
        () -> CiftiXml.parse("<CIFTI".getBytes(StandardCharsets.UTF_8), "broken.nii"));
    assertTrue(e.getMessage().startsWith("broken.nii: CIFTI XML does not parse"), e.getMessage());
  }
}
