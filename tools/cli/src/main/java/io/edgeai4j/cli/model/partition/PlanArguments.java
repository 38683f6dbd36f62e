package io.edgeai4j.cli.model.partition;

import io.edgeai4j.optimize.partition.Link;
import io.edgeai4j.optimize.partition.PartitionException;
import io.edgeai4j.optimize.partition.ProfileJson;
import io.edgeai4j.optimize.partition.Tier;
import io.edgeai4j.runtime.link.LinkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code edge model plan}'s {@code --profile NAME=FILE} and {@code --link LOWER-UPPER=SPEC} options: the tiers
 * are among device, edge and cloud, ordered upstream in that order whatever the order given; each adjacent pair needs
 * its link, parsed by {@link LinkSpec} (contract 1 of issue 17); the link's loss does not enter the plan. Stateless.
 */
public final class PlanArguments {
  /** The tiers the plan knows, lowest first. */
  public static final List<String> TIERS = List.of("device", "edge", "cloud");

  /** The tiers, and the links between adjacent ones. */
  public record Parsed(List<Tier> tiers, List<Link> links) {}

  private PlanArguments() {}

  /**
   * Parses and checks.
   *
   * @throws PartitionException naming the unknown tier, the missing or extra link, the bad link text or profile
   */
  public static Parsed parse(Map<String, Path> profiles, Map<String, String> links) throws PartitionException {
    for (String name : profiles.keySet()) {
      if (!TIERS.contains(name)) {
        throw new PartitionException("--profile " + name + "=...: unknown tier '" + name + "'; expected " + TIERS);
      }
    }
    List<String> names = TIERS.stream().filter(profiles::containsKey).toList();
    if (names.size() < 2) {
      throw new PartitionException("--profile: expected two or three tiers (device and edge, and cloud), found "
          + names);
    }
    List<Tier> tiers = new ArrayList<>();
    for (String name : names) {
      tiers.add(new Tier(name, ProfileJson.read(profiles.get(name))));
    }
    List<Link> parsed = new ArrayList<>();
    Set<String> expected = new LinkedHashSet<>();
    for (int i = 0; i + 1 < names.size(); i++) {
      expected.add(names.get(i) + "-" + names.get(i + 1));
    }
    for (String name : links.keySet()) {
      if (!expected.contains(name)) {
        throw new PartitionException("--link " + name + "=...: no such link between the tiers " + names
            + "; expected " + expected);
      }
    }
    for (String name : expected) {
      String text = links.get(name);
      if (text == null) {
        throw new PartitionException("--link " + name + "=BANDWIDTH/LATENCY missing (e.g. --link " + name
            + "=10Mbit/20ms); the tiers " + names + " need " + expected);
      }
      LinkSpec spec;
      try {
        spec = LinkSpec.parse(text);
      } catch (IllegalArgumentException e) {
        throw new PartitionException("--link " + name + ": " + e.getMessage(), e);
      }
      parsed.add(new Link(name, spec.bitsPerSecond(), spec.latency()));
    }
    return new Parsed(tiers, parsed);
  }
}
