/**
 * A simulated temperature sensor, in the shape of Microsoft's SimulatedTemperatureSensor: it sends a
 * machine and ambient reading at a fixed interval, configured through its module twin.
 */
package io.edgeai4j.examples.sensor;
