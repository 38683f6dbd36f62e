package io.edgeai4j.cli.model;

import io.edgeai4j.cli.EdgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the edge command in-process and captures what it prints. */
record ModelCli(int exitCode, String out, String err) {
  static ModelCli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = EdgeCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new ModelCli(code, out.toString(), err.toString());
  }
}
