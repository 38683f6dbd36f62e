/**
 * {@code edge model plan}'s helpers: reading {@code --profile} and {@code --link} ({@code PlanArguments}), printing
 * the plan as a table or JSON ({@code PlanReport}), and writing the deployment of {@code --manifest}
 * ({@code PartitionDeployment}).
 */
package io.edgeai4j.cli.model.partition;
