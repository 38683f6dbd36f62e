/**
 * {@code edge model plan}'s helpers: reading {@code --profile} and {@code --link} ({@code PlanArguments}), printing
 * the plan as a table or JSON ({@code PlanReport}), writing the deployment of {@code --manifest}
 * ({@code PartitionDeployment}), and {@code --measure}: each candidate deployed and run through the device hierarchy
 * over the emulated links ({@code PartitionMeasurement}, {@code CandidateRun}, {@code MeasurementInputs}), the
 * measured latencies beside the predictions ({@code MeasurementReport}, {@code LatencyStats}, {@code MeasurementPlot}).
 */
package io.edgeai4j.cli.model.partition;
