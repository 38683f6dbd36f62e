/**
 * The plug-in interface of the sensor-ingestion module's sources. A plug-in implements
 * {@link io.edgeai4j.ingestion.source.SensorSourceProvider} (parse settings, create a source) and
 * {@link io.edgeai4j.ingestion.source.SensorSource} (read until closed), and passes on
 * {@link io.edgeai4j.ingestion.source.Reading}s and {@link io.edgeai4j.ingestion.source.SampleBlock}s
 * through its {@link io.edgeai4j.ingestion.source.SourceContext}. Validation, windows, features,
 * buffering and delivery are the module's job, not the source's. Pure Java: no Azure and no native code.
 */
package io.edgeai4j.ingestion.source;
