/**
 * Reads an Azure IoT Edge deployment manifest ({@code modulesContent} with {@code $edgeAgent},
 * {@code $edgeHub} and module twins) into immutable objects, refusing what it cannot honour with the
 * JSON path of the problem.
 */
package io.edgeai4j.runtime.manifest;
