/**
 * The IoT Edge workload API (api-version 2018-06-28) over HTTP on loopback, as the SDK's
 * {@code ModuleClient.createFromEnvironment} uses it: {@link io.edgeai4j.edgehub.workload.WorkloadApiServer}.
 */
package io.edgeai4j.edgehub.workload;
