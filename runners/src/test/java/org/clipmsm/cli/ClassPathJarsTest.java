package org.clipmsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathJarsTest {
  @TempDir
  Path dir;

  @Test
  void manifestClassPathIsResolvedNextToTheJar() throws Exception {
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib/a.jar"), "x");
    Files.writeString(dir.resolve("lib/b.jar"), "x");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/a.jar lib/b.jar lib/missing.jar");
    File jar = dir.resolve("clipmsm.jar").toFile();
    try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar), m)) {
      out.flush();
    }
    assertEquals(List.of(dir.resolve("lib/a.jar").toString(), dir.resolve("lib/b.jar").toString()),
        ClassPathJars.manifestClassPath(jar));
  }
}
