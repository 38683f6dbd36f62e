package io.edgeai4j.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the packaging checks need from a module's pom.xml: its artifact id, the name of the jar its build
 * produces, and its direct dependencies.
 *
 * @param artifactId The module's artifact id.
 * @param jarFileName The jar {@code mvn package} writes into target/, from {@code build.finalName} (the module's or,
 *     where it names none, its parent's; with {@code ${project.artifactId}} and {@code ${project.version}} expanded)
 *     or Maven's default.
 * @param dependencies The direct dependencies.
 */
record ModulePom(String artifactId, String jarFileName, List<Dependency> dependencies) {
  /** A direct dependency. */
  record Dependency(String groupId, String artifactId, String scope, boolean optional) {}

  ModulePom {
    dependencies = List.copyOf(dependencies);
  }

  /** Parses a pom.xml. */
  static ModulePom read(Path pom) {
    try {
      Element project = parse(pom).getDocumentElement();
      String artifactId = childText(project, "artifactId");
      Element parent = child(project, "parent");
      String version = childText(project, "version");
      if (version == null && parent != null) {
        version = childText(parent, "version");
      }
      String finalName = finalName(project);
      if (finalName == null && parent != null) {
        String relativePath = childText(parent, "relativePath");
        Path parentPom = pom.toAbsolutePath().getParent().resolve(relativePath == null ? "../pom.xml" : relativePath);
        finalName = finalName(parse(parentPom).getDocumentElement());
      }
      String base = finalName == null ? artifactId + "-" + version
          : finalName.replace("${project.artifactId}", artifactId).replace("${project.version}", version);
      List<Dependency> dependencies = new ArrayList<>();
      Element deps = child(project, "dependencies");
      if (deps != null) {
        for (Element dep : children(deps, "dependency")) {
          String scope = childText(dep, "scope");
          dependencies.add(new Dependency(childText(dep, "groupId"), childText(dep, "artifactId"),
              scope == null ? "compile" : scope, "true".equals(childText(dep, "optional"))));
        }
      }
      return new ModulePom(artifactId, base + ".jar", dependencies);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read " + pom + ": " + e, e);
    }
  }

  /** The build's finalName, inherited from the parent pom when the module's own build names none. */
  private static String finalName(Element project) {
    Element build = child(project, "build");
    return build == null ? null : childText(build, "finalName");
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  /** Returns the dependency with this artifact id, or null. */
  Dependency dependency(String artifactId) {
    return dependencies.stream().filter(d -> d.artifactId().equals(artifactId)).findFirst().orElse(null);
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static String childText(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().strip();
  }
}
