package io.edgeai4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteException;
import io.edgeai4j.routing.RoutingMessage;
import io.edgeai4j.routing.TriState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge route check|test}: parse and evaluate routes exactly as edgeHub does. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = "Checks and tests edgeHub routes, with edgeHub's own semantics.",
    subcommands = {RouteCommand.Check.class, RouteCommand.Test.class})
final class RouteCommand implements Runnable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code edge route check '<route>'}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Parses a route; prints its source, condition and sink, or the error and its position.")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<route>", description = "The route, e.g."
        + " 'FROM /messages/* WHERE $body.temp > 30 INTO $upstream'.")
    String routeText;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        Route route = Route.parse(routeText);
        out.println("source:    " + route.source().pattern());
        out.println("condition: " + route.condition().text());
        out.println("sink:      " + route.sink().toRouteText());
        return ExitCodes.OK;
      } catch (RouteException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(e.getMessage());
        if (e.position() >= 0) {
          err.println("  " + routeText);
          err.println("  " + " ".repeat(Math.min(e.position(), routeText.length())) + "^");
        }
        return ExitCodes.DATA_ERROR;
      }
    }
  }

  /** {@code edge route test}. */
  @Command(name = "test", mixinStandardHelpOptions = true,
      description = {
        "Evaluates a route against a message: was the source matched, what is the condition"
            + " (true, false or undefined), and where does it go.",
        "Message JSON: {\"source\": \"/messages/modules/<id>/outputs/<name>\" (default /messages/),"
            + " \"properties\": {...}, \"systemProperties\": {\"contentType\": \"application/json\","
            + " \"contentEncoding\": \"utf-8\", ...}, \"body\": <any JSON, or a string>}. A property value is a"
            + " string, or null for a key sent with no value (as edgeHub stores one).",
        "With --cases, each line of the file is {\"route\": \"...\", \"message\": {...}} and each output"
            + " line is {\"sourceMatched\", \"condition\", \"sink\", \"error\"}, in the same order, one for"
            + " every input line (a blank line gives an error line)."
      })
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
      @ArgGroup(exclusive = false)
      Single single;

      @Option(names = "--cases", paramLabel = "<cases.jsonl>", required = true,
          description = "JSON Lines file of {\"route\", \"message\"} cases.")
      Path cases;
    }

    static final class Single {
      @Option(names = "--route", required = true, paramLabel = "<route>", description = "The route.")
      String route;

      @Option(names = "--message", required = true, paramLabel = "<message.json>",
          description = "The message JSON file.")
      Path message;
    }

    @Override
    public Integer call() {
      return mode.cases != null ? runCases(mode.cases) : runSingle(mode.single);
    }

    private int runSingle(Single single) {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      RoutingMessage message;
      try {
        message = RouteTestMessage.parse(MAPPER.readTree(Files.readString(single.message)));
      } catch (NoSuchFileException e) {
        err.println("edge route test: message file " + single.message + " does not exist");
        return ExitCodes.NO_INPUT;
      } catch (IOException e) {
        err.println("edge route test: message file " + single.message + " is not JSON: " + e.getMessage());
        return ExitCodes.DATA_ERROR;
      } catch (IllegalArgumentException e) {
        err.println("edge route test: " + single.message + ": " + e.getMessage());
        return ExitCodes.DATA_ERROR;
      }
      Route route;
      try {
        route = Route.parse(single.route);
      } catch (RouteException e) {
        err.println(e.getMessage());
        return ExitCodes.DATA_ERROR;
      }
      boolean matched = route.source().matches(message.sourcePath());
      TriState condition = route.condition().evaluate(message);
      out.println("source:    " + route.source().pattern() + (matched ? " matches " : " does not match ")
          + message.sourcePath());
      out.println("condition: " + condition.jsonName());
      out.println("sink:      " + route.sink().toRouteText());
      out.println("routed:    " + (matched && condition == TriState.TRUE ? "yes" : "no"));
      if (condition == TriState.UNDEFINED && single.route.contains("$body")) {
        out.println("note:      $body is only defined when systemProperties.contentType is application/json"
            + " and contentEncoding is utf-8, utf-16 or utf-32; this message has contentType="
            + describe(message, "contentType") + ", contentEncoding=" + describe(message, "contentEncoding"));
      }
      return ExitCodes.OK;
    }

    /** A system property's value for the note: absent, null (a key with no value) or the value. */
    private static String describe(RoutingMessage message, String name) {
      if (!message.systemProperties().containsKey(name)) {
        return "absent";
      }
      String value = message.systemProperties().get(name);
      return value == null ? "null (a key with no value)" : value;
    }

    private int runCases(Path cases) {
      PrintWriter out = spec.commandLine().getOut();
      try (BufferedReader reader = Files.newBufferedReader(cases, StandardCharsets.UTF_8)) {
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
          number++;
          out.println(evaluateCase(line, number).toString());
        }
        out.flush();
        return ExitCodes.OK;
      } catch (NoSuchFileException e) {
        spec.commandLine().getErr().println("edge route test: cases file " + cases + " does not exist");
        return ExitCodes.NO_INPUT;
      } catch (IOException e) {
        spec.commandLine().getErr().println("edge route test: cannot read " + cases + ": " + e.getMessage());
        return ExitCodes.NO_INPUT;
      }
    }

    static ObjectNode evaluateCase(String line, int number) {
      ObjectNode result = MAPPER.createObjectNode();
      result.put("sourceMatched", false);
      result.put("condition", TriState.UNDEFINED.jsonName());
      result.putNull("sink");
      result.putNull("error");
      if (line.isBlank()) {
        return result.put("error", "line " + number + " is empty; expected {\"route\": ..., \"message\": ...}");
      }
      JsonNode json;
      try {
        json = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        return result.put("error", "line " + number + " is not JSON: " + e.getOriginalMessage());
      }
      JsonNode routeText = json.get("route");
      if (routeText == null || !routeText.isTextual()) {
        return result.put("error", "line " + number + ": 'route' must be a string, found " + routeText);
      }
      Route route;
      try {
        route = Route.parse(routeText.asText());
      } catch (RouteException e) {
        return result.put("error", "line " + number + ": " + e.getMessage());
      }
      result.put("sink", route.sink().toRouteText());
      RoutingMessage message;
      try {
        message = RouteTestMessage.parse(json.get("message"));
      } catch (IllegalArgumentException e) {
        return result.put("error", "line " + number + ": " + e.getMessage());
      }
      result.put("sourceMatched", route.source().matches(message.sourcePath()));
      result.put("condition", route.condition().evaluate(message).jsonName());
      return result;
    }
  }
}
