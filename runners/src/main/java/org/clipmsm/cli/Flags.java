package org.clipmsm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's option for each parameter of the code it calls: kernels, transforms and pipelines name their own
 * parameters in errors ({@code voxelsPerBlock}, {@code topK}); the command line shows the option that set it
 * ({@code --voxels-per-block}, {@code --top-k}). By default a parameter maps to its name in kebab case; a command whose
 * options are named otherwise says so by implementing {@link Renamed}. A parameter with no option keeps its name.
 */
final class Flags {
  private final CommandSpec spec;
  private final Map<String, String> renamed;

  /** A command whose options do not all follow the parameters' names. */
  interface Renamed {
    /** Parameter name to option name, e.g. {@code bootstrapSeed -> --seed}. */
    Map<String, String> renamedOptions();
  }

  private Flags(CommandSpec spec, Map<String, String> renamed) {
    this.spec = spec;
    this.renamed = renamed;
  }

  static Flags of(CommandLine cmd) {
    Object user = cmd.getCommand();
    return new Flags(cmd.getCommandSpec(), user instanceof Renamed r ? r.renamedOptions() : Map.of());
  }

  /** The options of a parameter (several joined by '/' stay joined). */
  String name(String parameters) {
    List<String> out = new ArrayList<>();
    for (String p : parameters.split("/")) {
      out.add(option(p));
    }
    return String.join("/", out);
  }

  private String option(String parameter) {
    String flag = renamed.getOrDefault(parameter, "--" + kebab(parameter));
    return spec.findOption(flag) != null ? flag : parameter;
  }

  /** {@code voxelsPerBlock -> voxels-per-block}. */
  static String kebab(String camel) {
    StringBuilder b = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
