package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's help renders: picocli reads descriptions as format strings, so a lone '%' breaks them. */
class HelpTextTest {
  @Test
  void everyCommandsHelpRendersWithoutAFormatWarning() {
    List<CommandLine> commands = new ArrayList<>();
    collect(EdgeCli.commandLine(), commands);
    assertThat(commands).hasSizeGreaterThan(20);
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> broken = new ArrayList<>();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      for (CommandLine command : commands) {
        StringWriter help = new StringWriter();
        command.usage(new PrintWriter(help));
        String warnings = captured.toString(StandardCharsets.UTF_8);
        if (!warnings.isEmpty() || help.toString().contains("%%")) {
          broken.add(command.getCommandSpec().qualifiedName() + ": " + warnings);
        }
        captured.reset();
      }
    } finally {
      System.setErr(original);
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void theLinkSyntaxShowsItsLossPercentage() {
    StringWriter run = new StringWriter();
    EdgeCli.commandLine().getSubcommands().get("run").usage(new PrintWriter(run));
    String text = run.toString().replaceAll("\\s+", " ");
    assertThat(text).contains("BANDWIDTH/LATENCY[/LOSS%]").contains("sensor-node=1Mbit/50ms/2% (");
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      if (sub.getKey().equals(sub.getValue().getCommandName())) {
        collect(sub.getValue(), into);
      }
    }
  }
}
