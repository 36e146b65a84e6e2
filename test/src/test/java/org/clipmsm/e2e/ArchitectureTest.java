package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The architecture of the repository, checked on its Java sources (the {@code src/main/java} trees of every module):
 * which libraries the kernels may use, that only the command line knows flags, that packages do not depend on each
 * other in cycles, that modules depend one way, and that dataset-specific classes live in transforms/datasets.
 *
 * <p>Each rule lists every violation (file:line and the offending text) so that all can be fixed at once. The
 * scanner is a small lexer, not a compiler: it strips comments and string/char literals from the code (handling
 * escapes and text blocks) and reads qualified names ({@code org.clipmsm.ridge.DataSplit}) from what is left. The
 * {@code selfTest*} methods feed it synthetic sources to show that each rule can fail.
 */
class ArchitectureTest {

  // ------------------------------------------------------------------------------------------------------------
  // The rules, on the repository
  // ------------------------------------------------------------------------------------------------------------

  @Test
  void coreImportsNoBeamDjlOrPicocli() {
    assertNone("Kernels use no runner, engine or command-line library: transforms/core and transforms/datasets "
        + "reference no Beam, DJL, picocli or Flink; transforms/embed no Beam, picocli or Flink; nothing under "
        + "transforms/ or pipelines/ references picocli.", forbiddenLibraryReferences(repository()));
  }

  @Test
  void kernelMessagesNameNoFlag() {
    assertNone("Only the command line (runners/) knows command-line flags: no string literal in transforms/** or "
        + "pipelines/** contains one (" + FLAG.pattern() + "). Name the parameter as the code calls it instead.",
        flagLiterals(repository()));
  }

  @Test
  void noPackageCycles() {
    assertNone("Packages depend on each other without cycles (imports and fully-qualified org.clipmsm references "
        + "in all main sources).", packageCycles(repository()));
  }

  @Test
  void modulesDependOneWay() {
    assertNone("Modules depend one way: core < datasets < embed < beam < pipelines < runners (schemas from beam "
        + "up); a main source references org.clipmsm classes of its own module or of modules below it only.",
        moduleDirectionViolations(repository()));
  }

  @Test
  void datasetSpecificClassesLiveInDatasets() {
    assertNone("Dataset-specific code lives in transforms/datasets: no package named nsd/nod/synth elsewhere; no "
        + "Nsd*/Nod* class in transforms/core or transforms/embed; transforms/core references no nsd, nod, synth "
        + "or stimuli package.", datasetPlacementViolations(repository()));
  }

  private static void assertNone(String rule, List<String> violations) {
    if (!violations.isEmpty()) {
      fail(rule + "\n" + violations.size() + " violation(s):\n  " + String.join("\n  ", violations));
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Self-tests: each rule, fed synthetic sources, finds what it should and nothing else
  // ------------------------------------------------------------------------------------------------------------

  private static final String CORE = "transforms/core/src/main/java/";
  private static final String DATASETS = "transforms/datasets/src/main/java/";
  private static final String EMBED = "transforms/embed/src/main/java/";
  private static final String BEAM = "transforms/beam/src/main/java/";
  private static final String PIPELINES = "pipelines/src/main/java/";
  private static final String RUNNERS = "runners/src/main/java/";

  private static SourceFile source(String path, String... lines) {
    return SourceFile.of(path, String.join("\n", lines));
  }

  private static void assertReported(List<String> violations, String... expected) {
    assertEquals(expected.length, violations.size(), () -> "expected " + List.of(expected) + ", got:\n  "
        + String.join("\n  ", violations));
    for (String e : expected) {
      assertTrue(violations.stream().anyMatch(v -> v.contains(e)), () -> "no violation contains '" + e + "' in:\n  "
          + String.join("\n  ", violations));
    }
  }

  @Test
  void selfTestLexerSeparatesCodeCommentsAndLiterals() {
    String path = CORE + "org/clipmsm/fake/A.java";
    SourceFile f = source(path,
        "package org.clipmsm.fake;",                                                       // 1
        "/** Javadoc: \"--javadoc-flag\", org.apache.beam.sdk.Pipeline. */",               // 2
        "class A {",                                                                       // 3
        "  String s = \"say \\\"--escaped\\\" // no comment\"; // \"--line-comment\"",     // 4
        "  char q = '\"'; char b = '\\''; String t = \"--after-char\";",                   // 5
        "  /* \"--block-comment\" org.apache.beam.X",                                      // 6
        "     still a comment */ String u = \"\"\"",                                       // 7
        "      first line \\\"\"\" still inside",                                           // 8
        "      uses --text-block here",                                                    // 9
        "      \"\"\"; String v = \"\\\\\"; String w = \"--after-backslash\";",            // 10
        "}");                                                                              // 11
    assertEquals("org.clipmsm.fake", f.packageName());
    assertEquals(11, f.code().size());
    assertEquals(List.of("say \\\"--escaped\\\" // no comment", "--after-char",
        "\n      first line \\\"\"\" still inside\n      uses --text-block here\n      ", "\\\\", "--after-backslash"),
        f.literals().stream().map(Literal::text).toList());
    assertEquals(List.of(4, 5, 7, 10, 10), f.literals().stream().map(Literal::line).toList());
    assertTrue(f.code().get(1).isBlank() && !f.code().get(5).contains("org.apache"), () -> String.join("\n", f.code()));
    assertTrue(forbiddenLibraryReferences(List.of(f)).isEmpty(), "comments are not code");
    assertReported(flagLiterals(List.of(f)), path + ":4: \"say \\\"--escaped", path + ":5: \"--after-char\"",
        path + ":9: \"uses --text-block here\"", path + ":10: \"--after-backslash\"");
  }

  @Test
  void selfTestFlagLiteralsAreFoundInKernelsAndPipelinesOnly() {
    List<SourceFile> files = List.of(
        source(CORE + "org/clipmsm/ridge/Grid.java", "package org.clipmsm.ridge;",
            "class Grid { void f() { throw new IllegalArgumentException(\"--alphas: bad\"); } }",
            "// a comment may say \"--alphas\"; a decrement a--b is code, not a literal"),
        source(PIPELINES + "org/clipmsm/pipelines/P.java", "package org.clipmsm.pipelines;",
            "class P { String s = \"give --pred and --actual\" + \" or -- nothing\" + \"a - b\"; }"),
        source(RUNNERS + "org/clipmsm/cli/C.java", "package org.clipmsm.cli;",
            "class C { String s = \"--alphas: the runner may name flags\"; }"));
    assertReported(flagLiterals(files),
        "ridge/Grid.java:2: \"--alphas: bad\"  [--alphas]",
        "pipelines/P.java:2: \"give --pred and --actual\"  [--pred, --actual]");
  }

  @Test
  void selfTestForbiddenLibrariesAreFound() {
    List<SourceFile> files = List.of(
        source(CORE + "org/clipmsm/a/A.java", "package org.clipmsm.a;", "import org.apache.beam.sdk.Pipeline;",
            "class A { ai.djl.Model m; String s = \"org.apache.flink.X in a string is not a reference\"; }"),
        source(DATASETS + "org/clipmsm/b/B.java", "package org.clipmsm.b;", "import static org.apache.flink.X.y;"),
        source(EMBED + "org/clipmsm/embed/E.java", "package org.clipmsm.embed;", "import ai.djl.Model;",
            "import picocli.CommandLine;"),
        source(BEAM + "org/clipmsm/beam/T.java", "package org.clipmsm.beam;", "import org.apache.beam.sdk.Pipeline;",
            "import picocli.CommandLine.Option;"),
        source(PIPELINES + "org/clipmsm/pipelines/P.java", "package org.clipmsm.pipelines;",
            "class P { picocli . CommandLine c; }"),
        source(RUNNERS + "org/clipmsm/cli/C.java", "package org.clipmsm.cli;", "import picocli.CommandLine;"));
    assertReported(forbiddenLibraryReferences(files), "a/A.java:2: import org.apache.beam", "a/A.java:3: class A",
        "b/B.java:2: import static org.apache.flink", "embed/E.java:3: import picocli", "beam/T.java:3: import picocli",
        "pipelines/P.java:2: class P");
  }

  @Test
  void selfTestPackageCyclesAreFound() {
    List<SourceFile> files = List.of(
        source(CORE + "org/clipmsm/fakea/A.java", "package org.clipmsm.fakea;", "import org.clipmsm.fakeb.B;",
            "class A { org.clipmsm.fakea.A2 same; }"),
        source(CORE + "org/clipmsm/fakea/A2.java", "package org.clipmsm.fakea;", "class A2 {}"),
        source(CORE + "org/clipmsm/fakeb/B.java", "package org.clipmsm.fakeb;",
            "class B { int x = org.clipmsm.fakea.A.Inner.VALUE; }"),
        source(CORE + "org/clipmsm/fakec/C.java", "package org.clipmsm.fakec;", "import org.clipmsm.fakea.*;"),
        source(CORE + "org/clipmsm/x/X.java", "package org.clipmsm.x;", "import org.clipmsm.y.Y;"),
        source(CORE + "org/clipmsm/y/Y.java", "package org.clipmsm.y;", "import org.clipmsm.z.Z;"),
        source(CORE + "org/clipmsm/z/Z.java", "package org.clipmsm.z;", "import static org.clipmsm.x.X.f;"));
    List<String> cycles = packageCycles(files);
    assertReported(cycles, "fakea -> fakeb -> fakea", "x -> y -> z -> x");
    String ab = cycles.stream().filter(c -> c.contains("fakea -> fakeb -> fakea")).findFirst().orElseThrow();
    assertTrue(ab.contains("fakea -> fakeb: " + CORE + "org/clipmsm/fakea/A.java:2: import org.clipmsm.fakeb.B;")
        && ab.contains("fakeb -> fakea: " + CORE + "org/clipmsm/fakeb/B.java:2:") && !ab.contains("fakec"), ab);
    assertTrue(packageCycles(files.subList(4, 6)).isEmpty(), "no cycle without z -> x");
  }

  @Test
  void selfTestModuleDirectionIsChecked() {
    List<SourceFile> files = List.of(
        source(CORE + "org/clipmsm/ridge/R.java", "package org.clipmsm.ridge;", "import org.clipmsm.beam.T;"),
        source(DATASETS + "org/clipmsm/nsd/N.java", "package org.clipmsm.nsd;",
            "class N { Object o = org.clipmsm.embed.E.of(); org.clipmsm.ridge.R r; }"),
        source(EMBED + "org/clipmsm/embed/E.java", "package org.clipmsm.embed;",
            "import org.clipmsm.schemas.EncodingModel;", "import org.clipmsm.nsd.N;"),
        source(BEAM + "org/clipmsm/beam/T.java", "package org.clipmsm.beam;",
            "import org.clipmsm.schemas.EncodingModel;", "import org.clipmsm.pipelines.*;"),
        source(PIPELINES + "org/clipmsm/pipelines/P.java", "package org.clipmsm.pipelines;",
            "import org.clipmsm.beam.T;", "import org.clipmsm.cli.C;"),
        source(RUNNERS + "org/clipmsm/cli/C.java", "package org.clipmsm.cli;", "import org.clipmsm.pipelines.P;"),
        source(RUNNERS + "org/clipmsm/ridge/Split.java", "package org.clipmsm.ridge;", "class Split {}"),
        source("tools/src/main/java/org/clipmsm/tools/U.java", "package org.clipmsm.tools;", "class U {}"));
    assertReported(moduleDirectionViolations(files),
        "package org.clipmsm.ridge is split across modules",
        "tools/src/main/java/org/clipmsm/tools/U.java: not in a module of the declared order",
        "ridge/R.java:2: import org.clipmsm.beam.T;",
        "nsd/N.java:2: class N { Object o = org.clipmsm.embed.E",
        "embed/E.java:2: import org.clipmsm.schemas.EncodingModel;",
        "beam/T.java:3: import org.clipmsm.pipelines.*;",
        "pipelines/P.java:3: import org.clipmsm.cli.C;");
  }

  @Test
  void selfTestDatasetSpecificClassesAreFound() {
    List<SourceFile> files = List.of(
        source(CORE + "org/clipmsm/io/NsdBetasHdf5.java", "package org.clipmsm.io;",
            "import org.clipmsm.stimuli.ImageSources;", "public final class NsdBetasHdf5 {",
            "  record Node(int id) {}", "  enum Nodes { A }", "  Class<?> c = Nsd.class;", "}"),
        source(CORE + "org/clipmsm/synth/Fake.java", "package org.clipmsm.synth;", "class Fake {}"),
        source(EMBED + "org/clipmsm/embed/E.java", "package org.clipmsm.embed;", "interface NodEvents {}",
            "import org.clipmsm.nsd.NsdSubject;"),
        source(BEAM + "org/clipmsm/beam/ReadNsdSubject.java", "package org.clipmsm.beam;",
            "class ReadNsdSubject { class NodReader {} }"),
        source(BEAM + "org/clipmsm/beam/nod/ReadNod.java", "package org.clipmsm.beam.nod;", "class ReadNod {}"),
        source(PIPELINES + "org/clipmsm/pipelines/PrepareNsdPipeline.java", "package org.clipmsm.pipelines;",
            "class PrepareNsdPipeline {}"),
        source(DATASETS + "org/clipmsm/nsd/NsdSubject.java", "package org.clipmsm.nsd;", "class NsdSubject {}"));
    assertReported(datasetPlacementViolations(files),
        "io/NsdBetasHdf5.java:2: import org.clipmsm.stimuli.ImageSources;",
        "io/NsdBetasHdf5.java:3: public final class NsdBetasHdf5 {",
        "synth/Fake.java:1: package org.clipmsm.synth;",
        "embed/E.java:2: interface NodEvents {}",
        "beam/nod/ReadNod.java:1: package org.clipmsm.beam.nod;");
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rule 1: libraries
  // ------------------------------------------------------------------------------------------------------------

  private static final String LIB_BEAM = "org.apache.beam";
  private static final String LIB_DJL = "ai.djl";
  private static final String LIB_PICOCLI = "picocli";
  private static final String LIB_FLINK = "org.apache.flink";
  private static final Map<String, Pattern> LIBRARIES = Map.of(LIB_BEAM, qualifiedName(LIB_BEAM),
      LIB_DJL, qualifiedName(LIB_DJL), LIB_PICOCLI, qualifiedName(LIB_PICOCLI), LIB_FLINK, qualifiedName(LIB_FLINK));

  /** The libraries a source file may not reference, by its module and directory. */
  static Set<String> forbiddenLibraries(SourceFile f) {
    Set<String> forbidden = new TreeSet<>();
    if (f.module() == MavenModule.CORE || f.module() == MavenModule.DATASETS) {
      forbidden.addAll(List.of(LIB_BEAM, LIB_DJL, LIB_PICOCLI, LIB_FLINK));
    }
    if (f.module() == MavenModule.EMBED) {
      forbidden.addAll(List.of(LIB_BEAM, LIB_PICOCLI, LIB_FLINK));
    }
    if (f.path().startsWith("transforms/") || f.path().startsWith("pipelines/")) {
      forbidden.add(LIB_PICOCLI);
    }
    return forbidden;
  }

  static List<String> forbiddenLibraryReferences(List<SourceFile> files) {
    List<String> out = new ArrayList<>();
    for (SourceFile f : files) {
      List<Reference> refs = new ArrayList<>();
      for (String lib : forbiddenLibraries(f)) {
        refs.addAll(f.references(LIBRARIES.get(lib)));
      }
      refs.stream().sorted(Reference.ORDER).forEach(r -> out.add(r.describe() + "  [" + r.target() + " in "
          + f.module().dir + "]"));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rule 2: flags in string literals
  // ------------------------------------------------------------------------------------------------------------

  static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*");

  static List<String> flagLiterals(List<SourceFile> files) {
    List<String> out = new ArrayList<>();
    for (SourceFile f : files) {
      if (!f.path().startsWith("transforms/") && !f.path().startsWith("pipelines/")) {
        continue;
      }
      for (Literal literal : f.literals()) {
        // A text block spans lines: report each of its lines that holds a flag, at its own line number.
        String[] parts = literal.text().split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
          List<String> flags = new ArrayList<>();
          Matcher m = FLAG.matcher(parts[i]);
          while (m.find()) {
            flags.add(m.group());
          }
          if (!flags.isEmpty()) {
            String shown = parts.length == 1 ? parts[i] : parts[i].strip();
            out.add(f.path() + ":" + (literal.line() + i) + ": \"" + abbreviate(shown) + "\"  "
                + flags.stream().distinct().toList());
          }
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rule 3: package cycles
  // ------------------------------------------------------------------------------------------------------------

  private static final Pattern CLIPMSM = qualifiedName("org.clipmsm");

  /** The package dependency graph: for each package, the packages it references, with the first reference. */
  static Map<String, Map<String, Reference>> packageGraph(List<SourceFile> files) {
    Index index = Index.of(files);
    Map<String, Map<String, Reference>> graph = new TreeMap<>();
    for (SourceFile f : files) {
      Map<String, Reference> edges = graph.computeIfAbsent(f.packageName(), k -> new TreeMap<>());
      for (Reference r : f.references(CLIPMSM)) {
        String target = index.packageOf(r.target());
        if (!target.equals(f.packageName())) {
          edges.putIfAbsent(target, r);
        }
      }
    }
    return graph;
  }

  static List<String> packageCycles(List<SourceFile> files) {
    Map<String, Map<String, Reference>> graph = packageGraph(files);
    Map<String, Set<String>> successors = new TreeMap<>();
    graph.forEach((from, edges) -> successors.put(from, edges.keySet()));
    List<String> out = new ArrayList<>();
    for (List<String> component : StronglyConnected.of(successors)) {
      if (component.size() < 2) {
        continue;
      }
      Set<String> members = new HashSet<>(component);
      StringBuilder b = new StringBuilder("cycle among " + component.stream().map(ArchitectureTest::shortName)
          .collect(Collectors.joining(", ", "{", "}")) + ", e.g. " + shortestCycle(component.get(0), successors,
          members).stream().map(ArchitectureTest::shortName).collect(Collectors.joining(" -> ")) + "; its edges:");
      for (String from : component) {
        graph.getOrDefault(from, Map.of()).forEach((to, example) -> {
          if (members.contains(to)) {
            b.append("\n      ").append(shortName(from)).append(" -> ").append(shortName(to)).append(": ")
                .append(example.describe());
          }
        });
      }
      out.add(b.toString());
    }
    return out;
  }

  /** A shortest path start -> ... -> start inside one strongly connected component (breadth-first). */
  static List<String> shortestCycle(String start, Map<String, Set<String>> successors, Set<String> within) {
    Map<String, String> parent = new HashMap<>();
    Set<String> seen = new HashSet<>(Set.of(start));
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String node = queue.poll();
      for (String next : successors.getOrDefault(node, Set.of())) {
        if (next.equals(start)) {
          LinkedList<String> path = new LinkedList<>();
          for (String n = node; n != null; n = parent.get(n)) {
            path.addFirst(n);
          }
          path.addLast(start);
          return path;
        }
        if (within.contains(next) && seen.add(next)) {
          parent.put(next, node);
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException(start + " is on no cycle");
  }

  /** Tarjan's strongly connected components; each component sorted, components in a deterministic order. */
  static final class StronglyConnected {
    private final Map<String, Set<String>> successors;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<List<String>> components = new ArrayList<>();

    private StronglyConnected(Map<String, Set<String>> successors) {
      this.successors = successors;
    }

    static List<List<String>> of(Map<String, Set<String>> successors) {
      StronglyConnected t = new StronglyConnected(successors);
      Set<String> nodes = new TreeSet<>(successors.keySet());
      successors.values().forEach(nodes::addAll);
      for (String n : nodes) {
        if (!t.index.containsKey(n)) {
          t.visit(n);
        }
      }
      t.components.sort((a, b) -> a.get(0).compareTo(b.get(0)));
      return t.components;
    }

    private void visit(String v) {
      index.put(v, index.size());
      low.put(v, index.get(v));
      stack.push(v);
      onStack.add(v);
      for (String w : successors.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        List<String> component = new ArrayList<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        component.sort(null);
        components.add(component);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rule 4: modules depend one way
  // ------------------------------------------------------------------------------------------------------------

  /** The Maven modules, by directory, in the order they may depend on each other (a higher rank sees lower). */
  enum MavenModule {
    CORE("transforms/core", 0),
    DATASETS("transforms/datasets", 1),
    EMBED("transforms/embed", 2),
    SCHEMAS("schemas", 3), // generated Avro classes: visible from beam up
    BEAM("transforms/beam", 4),
    PIPELINES("pipelines", 5),
    RUNNERS("runners", 6),
    TEST("test", 7),
    OTHER("(not a known module)", -1);

    final String dir;
    final int rank;

    MavenModule(String dir, int rank) {
      this.dir = dir;
      this.rank = rank;
    }

    static MavenModule ofPath(String path) {
      for (MavenModule m : values()) {
        if (m != OTHER && path.startsWith(m.dir + "/")) {
          return m;
        }
      }
      return OTHER;
    }

    boolean mayUse(MavenModule target) {
      return target == this || (this != OTHER && target != OTHER && target.rank < rank);
    }
  }

  /** The package the schemas module generates from its Avro files (it has no Java sources of its own). */
  static final String SCHEMAS_PACKAGE = "org.clipmsm.schemas";

  static List<String> moduleDirectionViolations(List<SourceFile> files) {
    Index index = Index.of(files);
    List<String> out = new ArrayList<>();
    index.packages().forEach((pkg, modules) -> {
      if (modules.size() > 1) {
        out.add("package " + pkg + " is split across modules " + dirs(modules) + ": a package lives in one module");
      }
    });
    for (SourceFile f : files) {
      if (f.module() == MavenModule.OTHER) {
        out.add(f.path() + ": not in a module of the declared order; add its module to ArchitectureTest.MavenModule");
        continue;
      }
      for (Reference r : f.references(CLIPMSM)) {
        Set<MavenModule> targets = index.modulesOf(r.target());
        if (!targets.isEmpty() && targets.stream().noneMatch(f.module()::mayUse)) {
          out.add(r.describe() + "  [" + f.module().dir + " may not use " + dirs(targets) + "]");
        }
      }
    }
    return out;
  }

  private static String dirs(Set<MavenModule> modules) {
    return modules.stream().map(m -> m.dir).collect(Collectors.joining(", "));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rule 5: dataset-specific classes
  // ------------------------------------------------------------------------------------------------------------

  /** Nsd or Nod and then not a lower-case letter: NsdBetasHdf5, NodEvents, Nsd; not Node, Nodes. */
  static final Pattern DATASET_CLASS = Pattern.compile("N[so]d(?![a-z])[\\w$]*");
  static final Set<String> DATASET_PACKAGES = Set.of("nsd", "nod", "synth");
  static final Set<String> CORE_FORBIDDEN_PACKAGES = Set.of("nsd", "nod", "synth", "stimuli");
  static final Set<MavenModule> COMPOSE_DATASETS = EnumSet.of(MavenModule.BEAM, MavenModule.PIPELINES,
      MavenModule.RUNNERS);
  private static final Pattern DECLARATION =
      Pattern.compile("(?<![\\w$.])(?:class|interface|enum|record)\\s+([A-Za-z_$][\\w$]*)");

  static List<String> datasetPlacementViolations(List<SourceFile> files) {
    Index index = Index.of(files);
    List<String> out = new ArrayList<>();
    for (SourceFile f : files) {
      if (f.module() == MavenModule.DATASETS) {
        continue;
      }
      if (List.of(f.packageName().split("\\.")).stream().anyMatch(DATASET_PACKAGES::contains)) {
        out.add(f.describe(f.packageLine()) + "  [package named for a dataset outside transforms/datasets]");
      }
      if (!COMPOSE_DATASETS.contains(f.module())) {
        for (int i = 0; i < f.code().size(); i++) {
          Matcher m = DECLARATION.matcher(f.code().get(i));
          while (m.find()) {
            if (DATASET_CLASS.matcher(m.group(1)).matches()) {
              out.add(f.describe(i + 1) + "  [dataset-specific class " + m.group(1) + " outside transforms/datasets]");
            }
          }
        }
      }
      if (f.module() == MavenModule.CORE) {
        for (Reference r : f.references(CLIPMSM)) {
          String[] segments = index.packageOf(r.target()).split("\\.");
          if (segments.length > 2 && CORE_FORBIDDEN_PACKAGES.contains(segments[2])) {
            out.add(r.describe() + "  [transforms/core uses a dataset package]");
          }
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Reading the sources
  // ------------------------------------------------------------------------------------------------------------

  private static final Pattern TRANSFORMS_MODULE = Pattern.compile("<module>\\s*transforms\\s*</module>");
  private static List<SourceFile> repository;

  /** All main sources of the repository, read once. */
  static synchronized List<SourceFile> repository() {
    if (repository == null) {
      repository = mainSources(repositoryRoot());
    }
    return repository;
  }

  /** The directory, from the working directory up, whose pom.xml declares the transforms module. */
  static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom) && TRANSFORMS_MODULE.matcher(read(pom)).find()) {
        return dir;
      }
    }
    return fail("Cannot find the repository root: no pom.xml declaring <module>transforms</module> in " + start
        + " or any directory above it. Run this test from inside the repository.");
  }

  static List<SourceFile> mainSources(Path root) {
    List<SourceFile> files = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
          boolean skip = !dir.equals(root) && (name.startsWith(".") || name.equals("target")
              || name.equals("node_modules"));
          return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String path = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
          if (path.endsWith(".java") && path.contains("src/main/java/")) {
            files.add(SourceFile.of(path, read(file)));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort((a, b) -> a.path().compareTo(b.path()));
    assertTrue(files.stream().anyMatch(f -> f.module() == MavenModule.CORE),
        "found no main source of transforms/core under " + root + ": the scanner is broken");
    return List.copyOf(files);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One Java source file: its path from the repository root, module, package, lines and lexed code. */
  record SourceFile(String path, MavenModule module, String packageName, List<String> lines, List<String> code,
      List<Literal> literals) {
    private static final Pattern PACKAGE =
        Pattern.compile("(?<![\\w$.])package\\s+([A-Za-z_$][\\w$]*(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)\\s*;");

    static SourceFile of(String path, String text) {
      String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
      Lexed lexed = Lexer.lex(normalized);
      List<String> code = List.of(lexed.code().split("\n", -1));
      String pkg = "";
      for (String line : code) {
        Matcher m = PACKAGE.matcher(line);
        if (m.find()) {
          pkg = m.group(1).replaceAll("\\s", "");
          break;
        }
      }
      return new SourceFile(path, MavenModule.ofPath(path), pkg, List.of(normalized.split("\n", -1)), code,
          lexed.literals());
    }

    /** The qualified names the code (not comments or literals) holds, except in the package declaration. */
    List<Reference> references(Pattern qualifiedName) {
      List<Reference> refs = new ArrayList<>();
      for (int i = 0; i < code.size(); i++) {
        if (PACKAGE.matcher(code.get(i)).find()) {
          continue;
        }
        Matcher m = qualifiedName.matcher(code.get(i));
        while (m.find()) {
          String name = m.group().replaceAll("\\s", "");
          refs.add(new Reference(this, i + 1, m.start(), name.endsWith(".*") ? name.substring(0, name.length() - 2)
              : name));
        }
      }
      return refs;
    }

    /** The line (1-based) of the package declaration, 1 if there is none. */
    int packageLine() {
      for (int i = 0; i < code.size(); i++) {
        if (PACKAGE.matcher(code.get(i)).find()) {
          return i + 1;
        }
      }
      return 1;
    }

    /** The simple name of the top-level class the file is named for. */
    String className() {
      String name = path.substring(path.lastIndexOf('/') + 1);
      return name.substring(0, name.length() - ".java".length());
    }

    String describe(int line) {
      return path + ":" + line + ": " + abbreviate(lines.get(line - 1).strip());
    }
  }

  /** A qualified name in the code of a file, at a line (1-based) and column. */
  record Reference(SourceFile file, int line, int column, String target) {
    static final Comparator<Reference> ORDER =
        Comparator.comparingInt(Reference::line).thenComparingInt(Reference::column);

    String describe() {
      return file.describe(line);
    }
  }

  /** A string literal (or text block): the line it starts on and its text as written, escapes included. */
  record Literal(int line, String text) {}

  /** Code with comments and literal contents blanked (line breaks kept), and the string literals. */
  record Lexed(String code, List<Literal> literals) {}

  /** A minimal Java lexer: comments, string literals, text blocks and char literals; everything else is code. */
  static final class Lexer {
    private Lexer() {}

    static Lexed lex(String text) {
      StringBuilder code = new StringBuilder(text.length());
      List<Literal> literals = new ArrayList<>();
      int line = 1;
      int i = 0;
      int n = text.length();
      while (i < n) {
        char c = text.charAt(i);
        if (text.startsWith("//", i)) {
          int end = text.indexOf('\n', i);
          end = end < 0 ? n : end;
          blank(code, text, i, end);
          i = end;
        } else if (text.startsWith("/*", i)) {
          int end = text.indexOf("*/", i + 2);
          end = end < 0 ? n : end + 2;
          line += blank(code, text, i, end);
          i = end;
        } else if (text.startsWith("\"\"\"", i)) {
          int end = closing(text, i + 3, "\"\"\"", false);
          literals.add(new Literal(line, text.substring(i + 3, end)));
          code.append("\"\"\"");
          line += blank(code, text, i + 3, end);
          code.append(text, end, Math.min(n, end + 3));
          i = Math.min(n, end + 3);
        } else if (c == '"' || c == '\'') {
          int end = closing(text, i + 1, String.valueOf(c), true);
          if (c == '"') {
            literals.add(new Literal(line, text.substring(i + 1, end)));
          }
          code.append(c);
          blank(code, text, i + 1, end);
          boolean closed = end < n && text.charAt(end) == c;
          if (closed) {
            code.append(c);
          }
          i = closed ? end + 1 : end;
        } else {
          code.append(c);
          if (c == '\n') {
            line++;
          }
          i++;
        }
      }
      return new Lexed(code.toString(), literals);
    }

    /** Where a literal opened before {@code from} closes (escapes skipped); a one-line literal ends at a break. */
    private static int closing(String text, int from, String delimiter, boolean singleLine) {
      int i = from;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '\\') {
          i += 2;
        } else if ((singleLine && c == '\n') || text.startsWith(delimiter, i)) {
          return i;
        } else {
          i++;
        }
      }
      return text.length();
    }

    /** Appends text[from, to) as spaces, keeping line breaks; returns the number of line breaks. */
    private static int blank(StringBuilder code, String text, int from, int to) {
      int breaks = 0;
      for (int i = from; i < to; i++) {
        boolean lineBreak = text.charAt(i) == '\n';
        code.append(lineBreak ? '\n' : ' ');
        breaks += lineBreak ? 1 : 0;
      }
      return breaks;
    }
  }

  /** Where each org.clipmsm package and top-level class lives. */
  record Index(Map<String, MavenModule> classes, Map<String, Set<MavenModule>> packages) {
    static Index of(List<SourceFile> files) {
      Map<String, MavenModule> classes = new HashMap<>();
      Map<String, Set<MavenModule>> packages = new TreeMap<>();
      for (SourceFile f : files) {
        classes.put(qualify(f.packageName(), f.className()), f.module());
        packages.computeIfAbsent(f.packageName(), k -> EnumSet.noneOf(MavenModule.class)).add(f.module());
      }
      packages.computeIfAbsent(SCHEMAS_PACKAGE, k -> EnumSet.noneOf(MavenModule.class)).add(MavenModule.SCHEMAS);
      return new Index(classes, packages);
    }

    /** The package of a qualified name: its longest known package prefix, else its lower-case leading segments. */
    String packageOf(String qualified) {
      for (String prefix = qualified; prefix != null; prefix = parent(prefix)) {
        if (packages.containsKey(prefix)) {
          return prefix;
        }
      }
      List<String> segments = new ArrayList<>();
      for (String s : qualified.split("\\.")) {
        if (Character.isUpperCase(s.charAt(0))) {
          break;
        }
        segments.add(s);
      }
      return String.join(".", segments);
    }

    /** The modules a qualified name can come from: its class's module, else its package's; empty if unknown. */
    Set<MavenModule> modulesOf(String qualified) {
      for (String prefix = qualified; prefix != null; prefix = parent(prefix)) {
        if (classes.containsKey(prefix)) {
          return EnumSet.of(classes.get(prefix));
        }
        if (packages.containsKey(prefix)) {
          return packages.get(prefix);
        }
      }
      return Set.of();
    }

    private static String parent(String qualified) {
      int dot = qualified.lastIndexOf('.');
      return dot < 0 ? null : qualified.substring(0, dot);
    }

    private static String qualify(String pkg, String simpleName) {
      return pkg.isEmpty() ? simpleName : pkg + "." + simpleName;
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Small helpers
  // ------------------------------------------------------------------------------------------------------------

  /** A qualified name starting with {@code prefix} and at least one more segment (or {@code .*}). */
  static Pattern qualifiedName(String prefix) {
    return Pattern.compile("(?<![\\w$.])" + prefix.replace(".", "\\s*\\.\\s*")
        + "(?:\\s*\\.\\s*(?:[A-Za-z_$][\\w$]*|\\*))+");
  }

  /** org.clipmsm.ridge -> ridge, for short messages; the root package stays as it is. */
  static String shortName(String pkg) {
    return pkg.startsWith("org.clipmsm.") ? pkg.substring("org.clipmsm.".length()) : pkg;
  }

  static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }
}
