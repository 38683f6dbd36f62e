package io.edgeai4j.optimize.partition;

import java.util.Objects;

/** One machine of the plan (device, edge, cloud, in that order upstream) and its profile. Immutable. */
public record Tier(String name, ModelProfile profile) {
  /** Checks that both are given. */
  public Tier {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(profile, "profile");
  }
}
