/**
 * The {@code "mqtt"} sensor source: subscribes to MQTT topics (Eclipse Paho, MQTT 3.1.1) where small
 * devices publish JSON, and maps JSON fields, found by JSON Pointers, to sensors. Entry point:
 * {@link io.edgeai4j.ingestion.mqtt.MqttSourceProvider}; settings:
 * {@link io.edgeai4j.ingestion.mqtt.MqttSourceSettings}.
 */
package io.edgeai4j.ingestion.mqtt;
