package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.routing.ModuleInputSink;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks {@code $edgeHub}'s routes: each compiles with edgeai4j's route engine (edgeHub's grammar and type rules);
 * the module a route reads from and the module of each {@code BrokeredEndpoint} are in {@code $edgeAgent}'s
 * modules; the output read and the input written are ones the module's {@code module.json} declares. A module
 * without such a declaration cannot be checked: a warning, for the output a route reads as for the input it writes.
 *
 * <p>edgeHub matches a route's source by a case-insensitive prefix test of the message's source path, so the source
 * module and output are found ignoring case ({@code outputs/Alert} reads output {@code alert}). Sinks name a module
 * identity and an input exactly, so they are compared exactly.
 */
final class RouteCheck {
  private static final Pattern ROUTE_NAME = Pattern.compile("[^.$# ]+");
  private static final Pattern MODULE_SOURCE = Pattern.compile("^/messages/modules/([^/]+)/(?:outputs/([^/]+)/)?",
      Pattern.CASE_INSENSITIVE);

  private RouteCheck() {}

  /**
   * Checks the routes.
   *
   * @param routes {@code $edgeHub}'s {@code routes}.
   * @param pointer Their pointer.
   * @param modules {@code $edgeAgent}'s modules by name, or {@code null} when there is no {@code $edgeAgent} to
   *     check the modules against (then only the route texts are checked).
   */
  static List<Problem> check(JsonNode routes, String pointer, Map<String, DeployedModule> modules) {
    List<Problem> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = routes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String routePointer = JsonPointers.child(pointer, entry.getKey());
      if (!ROUTE_NAME.matcher(entry.getKey()).matches()) {
        problems.add(Problem.error(routePointer, "route name '" + entry.getKey()
            + "' may not contain '.', '$', '#' or space"));
      }
      JsonNode value = entry.getValue();
      JsonNode text = value.isObject() ? value.path("route") : value;
      String textPointer = value.isObject() ? JsonPointers.child(routePointer, "route") : routePointer;
      if (!text.isTextual()) {
        continue; // the schema reports it
      }
      Route route;
      try {
        route = Route.parse(text.textValue());
      } catch (RouteException e) {
        problems.add(Problem.error(textPointer, e.getMessage()));
        continue;
      }
      if (modules == null) {
        continue;
      }
      checkSource(route, textPointer, modules, problems);
      if (route.sink() instanceof ModuleInputSink sink) {
        checkSink(sink, textPointer, modules, problems);
      }
    }
    return problems;
  }

  private static void checkSource(Route route, String pointer, Map<String, DeployedModule> modules,
      List<Problem> problems) {
    Matcher matcher = MODULE_SOURCE.matcher(route.source().pattern());
    if (!matcher.find()) {
      return;
    }
    String moduleName = matcher.group(1);
    DeployedModule module = find(moduleName, modules);
    if (module == null) {
      problems.add(Problem.error(pointer, "source module '" + moduleName + "' is not in $edgeAgent's modules "
          + modules.keySet()));
      return;
    }
    String output = matcher.group(2);
    if (output == null) {
      return; // every output of the module: nothing named to check
    }
    if (module.endpoints().isEmpty()) {
      problems.add(Problem.warning(pointer, "module " + module.describe() + " has no module.json declaring its"
          + " outputs; output '" + output + "' is not checked"));
    } else if (module.endpoints().get().outputs().stream().noneMatch(output::equalsIgnoreCase)) {
      problems.add(Problem.error(pointer, "module " + module.describe() + " declares no output '" + output
          + "'; its outputs are " + module.endpoints().get().outputs()));
    }
  }

  private static void checkSink(ModuleInputSink sink, String pointer, Map<String, DeployedModule> modules,
      List<Problem> problems) {
    DeployedModule module = modules.get(sink.moduleId());
    if (module == null) {
      problems.add(Problem.error(pointer, "target module '" + sink.moduleId() + "' is not in $edgeAgent's modules "
          + modules.keySet()));
      return;
    }
    if (module.endpoints().isEmpty()) {
      problems.add(Problem.warning(pointer, "module " + module.describe() + " has no module.json declaring its"
          + " inputs; input '" + sink.inputName() + "' is not checked"));
    } else if (!module.endpoints().get().inputs().contains(sink.inputName())) {
      problems.add(Problem.error(pointer, "module " + module.describe() + " declares no input '"
          + sink.inputName() + "'; its inputs are " + module.endpoints().get().inputs()));
    }
  }

  /** edgeHub matches route sources ignoring case; the exact name first. */
  private static DeployedModule find(String name, Map<String, DeployedModule> modules) {
    DeployedModule exact = modules.get(name);
    if (exact != null) {
      return exact;
    }
    return modules.values().stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst().orElse(null);
  }
}
