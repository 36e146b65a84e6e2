package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clipmsm.cli.ClipMsm;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help a newcomer reads first: every command summarised in one whole sentence, every help page clean. */
class HelpTest {
  @Test
  void eachCommandsSummaryIsOneWholeSentence() {
    CommandLine cl = ClipMsm.commandLine();
    for (var e : cl.getSubcommands().entrySet()) {
      String[] description = e.getValue().getCommandSpec().usageMessage().description();
      String summary = description[0];
      assertTrue(Character.isUpperCase(summary.charAt(0)) && summary.endsWith("."),
          e.getKey() + ": the summary should be one sentence, got: " + summary);
      assertFalse(summary.substring(0, summary.length() - 1).matches(".*\\.\\s.*"),
          e.getKey() + ": one sentence only, got: " + summary);
      assertTrue(summary.length() <= 95, e.getKey() + ": the summary should fit the list of commands: " + summary);
    }
  }

  @Test
  void everyHelpPagePrintsWithoutWarnings() {
    List<String> commands = List.copyOf(ClipMsm.commandLine().getSubcommands().keySet());
    Cli root = Cli.run("--help");
    assertEquals(0, root.status, root.toString());
    assertFalse(root.err.contains("WARN"), root.err);
    for (String c : commands) {
      Cli help = Cli.run(c, "--help");
      assertEquals(0, help.status, help.toString());
      assertFalse(help.err.contains("WARN"), c + ": " + help.err);
      assertTrue(help.out.contains("Usage: clipmsm " + c), help.out);
    }
  }
}
