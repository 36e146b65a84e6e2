package org.clipmsm.io;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.clipmsm.InvalidInputException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The CIFTI-2 XML of a dense file (NIfTI-2 extension code 32): the map dimension (named scalar maps, label maps with
 * their label tables, or a series) and the dense dimension's brain models (which vertices or voxels of which
 * structure each grayordinate is). Parsed from, and written as, the XML that nibabel and Connectome Workbench read.
 * Only dense files (one BRAIN_MODELS dimension) are supported.
 */
public final class CiftiXml {
  /** One brain structure's grayordinates: surface vertices or volume voxels (i, j, k). */
  public record BrainModel(int indexOffset, int indexCount, String modelType, String brainStructure,
      int surfaceVertices, int[] vertexIndices, int[][] voxelIjk) {
    public boolean isSurface() {
      return modelType.equals("CIFTI_MODEL_TYPE_SURFACE");
    }
  }

  /** A label of a LabelTable: key, name and RGBA in [0, 1]. */
  public record Label(int key, String name, float red, float green, float blue, float alpha) {}

  /** A named map (a scalar map, or a label map with its table). */
  public record NamedMap(String name, List<Label> labels) {}

  public static final String SCALARS = "CIFTI_INDEX_TYPE_SCALARS";
  public static final String LABELS = "CIFTI_INDEX_TYPE_LABELS";
  public static final String SERIES = "CIFTI_INDEX_TYPE_SERIES";

  private final String mapKind;
  private final List<NamedMap> maps;
  private final int seriesLength;
  private final List<BrainModel> brainModels;
  /** The Volume element of voxel models, kept verbatim (its dimensions and voxel-to-world transform). */
  private final String volumeXml;

  private CiftiXml(String mapKind, List<NamedMap> maps, int seriesLength, List<BrainModel> brainModels,
      String volumeXml) {
    this.mapKind = mapKind;
    this.maps = List.copyOf(maps);
    this.seriesLength = seriesLength;
    this.brainModels = List.copyOf(brainModels);
    this.volumeXml = volumeXml;
  }

  /** The space of the given brain models alone (no maps, no volume): a {@code like} for writing new files in it. */
  public static CiftiXml space(List<BrainModel> brainModels) {
    return new CiftiXml(SCALARS, List.of(), 0, brainModels, null);
  }

  /** Named scalar maps over the given brain models (a dscalar), e.g. a per-grayordinate result in a source's space. */
  public static CiftiXml scalars(List<String> names, CiftiXml like) {
    List<NamedMap> maps = new ArrayList<>();
    for (String n : names) {
      maps.add(new NamedMap(n, List.of()));
    }
    return new CiftiXml(SCALARS, maps, 0, like.brainModels, like.volumeXml);
  }

  /** One label map over the given brain models (a dlabel), e.g. an ROI. */
  public static CiftiXml labels(String mapName, List<Label> labels, CiftiXml like) {
    return new CiftiXml(LABELS, List.of(new NamedMap(mapName, labels)), 0, like.brainModels, like.volumeXml);
  }

  /** Parses CIFTI-2 XML; {@code source} names the file in errors. */
  public static CiftiXml parse(byte[] xml, String source) {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(trimNul(xml)));
    } catch (Exception e) {
      throw new InvalidInputException(source + ": CIFTI XML does not parse (" + oneLine(e.getMessage()) + ")", e);
    }
    Element root = doc.getDocumentElement();
    if (!root.getTagName().equals("CIFTI") || !root.getAttribute("Version").startsWith("2")) {
      throw new InvalidInputException(source + ": expected <CIFTI Version=\"2\">, found <" + root.getTagName()
          + " Version=\"" + root.getAttribute("Version") + "\">");
    }
    String kind = null;
    List<NamedMap> maps = new ArrayList<>();
    int series = 0;
    List<BrainModel> models = null;
    String volume = null;
    for (Element mim : children(root, "Matrix").stream().flatMap(m -> children(m, "MatrixIndicesMap").stream())
        .toList()) {
      String type = mim.getAttribute("IndicesMapToDataType");
      switch (type) {
        case "CIFTI_INDEX_TYPE_BRAIN_MODELS" -> {
          models = new ArrayList<>();
          for (Element bm : children(mim, "BrainModel")) {
            models.add(brainModel(bm, source));
          }
          List<Element> vol = children(mim, "Volume");
          volume = vol.isEmpty() ? null : serialize(vol.get(0));
        }
        case SCALARS, LABELS -> {
          kind = type;
          for (Element nm : children(mim, "NamedMap")) {
            List<Element> name = children(nm, "MapName");
            List<Label> labels = new ArrayList<>();
            for (Element table : children(nm, "LabelTable")) {
              for (Element l : children(table, "Label")) {
                labels.add(new Label(Integer.parseInt(l.getAttribute("Key")), l.getTextContent().trim(),
                    floatAttr(l, "Red"), floatAttr(l, "Green"), floatAttr(l, "Blue"), floatAttr(l, "Alpha")));
              }
            }
            maps.add(new NamedMap(name.isEmpty() ? "" : name.get(0).getTextContent().trim(), labels));
          }
        }
        case SERIES -> {
          kind = type;
          series = Integer.parseInt(mim.getAttribute("NumberOfSeriesPoints").isEmpty() ? "0"
              : mim.getAttribute("NumberOfSeriesPoints"));
        }
        default -> throw new InvalidInputException(source + ": unsupported CIFTI index type " + type
            + " (expected a dense file: BRAIN_MODELS with SCALARS, LABELS or SERIES)");
      }
    }
    if (models == null || models.isEmpty()) {
      throw new InvalidInputException(source + ": CIFTI without brain models (expected a dense file)");
    }
    if (kind == null) {
      throw new InvalidInputException(source + ": CIFTI without a map dimension (SCALARS, LABELS or SERIES)");
    }
    return new CiftiXml(kind, maps, series, models, volume);
  }

  private static BrainModel brainModel(Element bm, String source) {
    try {
      int offset = Integer.parseInt(bm.getAttribute("IndexOffset"));
      int count = Integer.parseInt(bm.getAttribute("IndexCount"));
      String type = bm.getAttribute("ModelType");
      String structure = bm.getAttribute("BrainStructure");
      String nv = bm.getAttribute("SurfaceNumberOfVertices");
      int[] vertices = null;
      int[][] ijk = null;
      List<Element> vi = children(bm, "VertexIndices");
      if (!vi.isEmpty()) {
        vertices = ints(vi.get(0).getTextContent());
        if (vertices.length != count) {
          throw new InvalidInputException(source + ": brain model " + structure + " lists " + vertices.length
              + " vertices, IndexCount says " + count);
        }
      }
      List<Element> vox = children(bm, "VoxelIndicesIJK");
      if (!vox.isEmpty()) {
        int[] flat = ints(vox.get(0).getTextContent());
        if (flat.length != 3 * count) {
          throw new InvalidInputException(source + ": brain model " + structure + " lists " + flat.length / 3
              + " voxels, IndexCount says " + count);
        }
        ijk = new int[count][];
        for (int i = 0; i < count; i++) {
          ijk[i] = new int[] {flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]};
        }
      }
      return new BrainModel(offset, count, type, structure, nv.isEmpty() ? 0 : Integer.parseInt(nv), vertices, ijk);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(source + ": malformed BrainModel (" + e.getMessage() + ")", e);
    }
  }

  /** The XML, as nibabel writes it (one line, no declaration). */
  public byte[] toXml() {
    StringBuilder b = new StringBuilder("<CIFTI Version=\"2.0\"><Matrix>");
    b.append("<MatrixIndicesMap AppliesToMatrixDimension=\"0\" IndicesMapToDataType=\"").append(mapKind).append('"');
    if (mapKind.equals(SERIES)) {
      b.append(" NumberOfSeriesPoints=\"").append(seriesLength)
          .append("\" SeriesExponent=\"0\" SeriesStart=\"0\" SeriesStep=\"1\" SeriesUnit=\"SECOND\"/>");
    } else {
      b.append('>');
      for (NamedMap m : maps) {
        b.append("<NamedMap>");
        if (mapKind.equals(LABELS)) {
          b.append("<LabelTable>");
          for (Label l : m.labels()) {
            b.append("<Label Key=\"").append(l.key()).append("\" Red=\"").append(num(l.red())).append("\" Green=\"")
                .append(num(l.green())).append("\" Blue=\"").append(num(l.blue())).append("\" Alpha=\"")
                .append(num(l.alpha())).append("\">").append(escape(l.name())).append("</Label>");
          }
          b.append("</LabelTable>");
        }
        b.append("<MapName>").append(escape(m.name())).append("</MapName></NamedMap>");
      }
      b.append("</MatrixIndicesMap>");
    }
    b.append("<MatrixIndicesMap AppliesToMatrixDimension=\"1\" IndicesMapToDataType=\"CIFTI_INDEX_TYPE_BRAIN_MODELS\">");
    if (volumeXml != null) {
      b.append(volumeXml);
    }
    for (BrainModel m : brainModels) {
      b.append("<BrainModel IndexOffset=\"").append(m.indexOffset()).append("\" IndexCount=\"").append(m.indexCount())
          .append("\" ModelType=\"").append(m.modelType()).append("\" BrainStructure=\"").append(m.brainStructure())
          .append('"');
      if (m.isSurface()) {
        b.append(" SurfaceNumberOfVertices=\"").append(m.surfaceVertices()).append('"');
      }
      b.append('>');
      if (m.vertexIndices() != null) {
        b.append("<VertexIndices>").append(join(m.vertexIndices())).append("</VertexIndices>");
      }
      if (m.voxelIjk() != null) {
        int[] flat = new int[3 * m.voxelIjk().length];
        for (int i = 0; i < m.voxelIjk().length; i++) {
          System.arraycopy(m.voxelIjk()[i], 0, flat, 3 * i, 3);
        }
        b.append("<VoxelIndicesIJK>").append(join(flat)).append("</VoxelIndicesIJK>");
      }
      b.append("</BrainModel>");
    }
    b.append("</MatrixIndicesMap></Matrix></CIFTI>");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  public String mapKind() {
    return mapKind;
  }

  public List<NamedMap> maps() {
    return maps;
  }

  /** Number of maps (rows of the data): named maps, or series points. */
  public int mapCount() {
    return mapKind.equals(SERIES) ? seriesLength : maps.size();
  }

  public List<BrainModel> brainModels() {
    return brainModels;
  }

  /** Grayordinates: the sum of the brain models' counts (columns of the data). */
  public int grayordinates() {
    int n = 0;
    for (BrainModel m : brainModels) {
      n = Math.max(n, m.indexOffset() + m.indexCount());
    }
    return n;
  }

  private static List<Element> children(Node parent, String tag) {
    List<Element> out = new ArrayList<>();
    NodeList nl = parent.getChildNodes();
    for (int i = 0; i < nl.getLength(); i++) {
      if (nl.item(i) instanceof Element e && e.getTagName().equals(tag)) {
        out.add(e);
      }
    }
    return out;
  }

  private static int[] ints(String text) {
    String t = text.trim();
    return t.isEmpty() ? new int[0] : java.util.Arrays.stream(t.split("\\s+")).mapToInt(Integer::parseInt).toArray();
  }

  private static float floatAttr(Element e, String name) {
    String v = e.getAttribute(name);
    return v.isEmpty() ? 0f : Float.parseFloat(v);
  }

  private static String join(int[] v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      b.append(i > 0 ? " " : "").append(v[i]);
    }
    return b.toString();
  }

  private static String num(float f) {
    return f == Math.rint(f) ? String.valueOf((int) f) : String.valueOf(f);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String serialize(Element e) {
    try {
      var t = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
      var w = new java.io.StringWriter();
      t.transform(new javax.xml.transform.dom.DOMSource(e), new javax.xml.transform.stream.StreamResult(w));
      return w.toString();
    } catch (javax.xml.transform.TransformerException x) {
      throw new IllegalStateException(x);
    }
  }

  private static byte[] trimNul(byte[] xml) {
    int n = xml.length;
    while (n > 0 && (xml[n - 1] == 0 || xml[n - 1] == ' ' || xml[n - 1] == '\n')) {
      n--;
    }
    return java.util.Arrays.copyOf(xml, n);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ");
  }
}
