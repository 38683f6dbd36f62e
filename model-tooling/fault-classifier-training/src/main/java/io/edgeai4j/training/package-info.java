/**
 * The reproducible training step of the demo's fault classifier: simulated machines
 * ({@link io.edgeai4j.ingestion.simulator.MachineSimulator}) give labelled windows, windowed and featurised exactly as
 * the sensor-ingestion module does ({@link io.edgeai4j.training.FeatureDataset}); Tribuo trains a classifier
 * ({@link io.edgeai4j.training.FaultClassifierTrainer}); the result is written as an ONNX model and its
 * {@code model.json} ({@link io.edgeai4j.training.ModelExporter}). {@link io.edgeai4j.training.TrainFaultClassifier}
 * runs the whole step.
 */
package io.edgeai4j.training;
