/**
 * The {@code edge} command line: run a deployment manifest locally, check and test routes, read and
 * patch twins, invoke direct methods, and report what this machine can run.
 */
package io.edgeai4j.cli;
