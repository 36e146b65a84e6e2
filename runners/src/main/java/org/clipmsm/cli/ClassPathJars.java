package org.clipmsm.cli;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The jars a remote Flink cluster needs: the JVM's class path plus, for a jar launched with {@code java -jar}, the
 * jars its manifest's Class-Path names (Beam's own detection reads only {@code java.class.path}, which then holds
 * the launcher jar alone, and the cluster would miss every dependency in {@code lib/}).
 */
final class ClassPathJars {
  private ClassPathJars() {}

  static List<String> toStage() {
    Set<String> out = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      File f = new File(entry).getAbsoluteFile();
      out.add(f.getPath());
      if (f.isFile() && f.getName().endsWith(".jar")) {
        out.addAll(manifestClassPath(f));
      }
    }
    return new ArrayList<>(out);
  }

  static List<String> manifestClassPath(File jar) {
    List<String> out = new ArrayList<>();
    try (JarFile j = new JarFile(jar)) {
      Manifest m = j.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp != null) {
        for (String rel : cp.trim().split("\\s+")) {
          File dep = new File(jar.getParentFile(), rel);
          if (dep.exists()) {
            out.add(dep.getAbsolutePath());
          }
        }
      }
    } catch (IOException e) {
      // Not a readable jar: stage it as it is.
    }
    return out;
  }
}
