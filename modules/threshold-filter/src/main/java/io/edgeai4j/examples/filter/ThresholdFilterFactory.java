package io.edgeai4j.examples.filter;

import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;

/** Makes {@link ThresholdFilter} available to manifests as image {@code threshold-filter}. */
public final class ThresholdFilterFactory implements EdgeModuleFactory {
  @Override
  public String id() {
    return "threshold-filter";
  }

  @Override
  public String description() {
    return "forwards readings on input 'readings' above a threshold to output 'alerts'";
  }

  @Override
  public EdgeModule create() {
    return new ThresholdFilter();
  }
}
