/**
 * A sensor source that simulates a rotating machine (provider type {@code simulator}): vibration with
 * shaft harmonics, imbalance, misalignment and bearing-defect bursts, and temperature and motor current
 * that follow load and faults. Faults are scripted, and every block and reading carries its
 * ground-truth label. {@link io.edgeai4j.ingestion.simulator.MachineSimulator} is the pure, deterministic
 * generator; {@link io.edgeai4j.ingestion.simulator.SimulatorSource} paces it by the wall clock.
 */
package io.edgeai4j.ingestion.simulator;
