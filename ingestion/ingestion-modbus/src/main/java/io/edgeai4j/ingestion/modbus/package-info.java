/**
 * A sensor source that polls a Modbus TCP device with digitalpetri modbus: holding and input
 * registers, coils and discrete inputs, decoded as 16- and 32-bit integers or 32-bit floats in any
 * word and byte order, then scaled. {@link io.edgeai4j.ingestion.modbus.ModbusSourceProvider} is the
 * plug-in ({@code "type": "modbus"}); {@link io.edgeai4j.ingestion.modbus.ModbusSettings} the
 * settings; {@link io.edgeai4j.ingestion.modbus.ModbusSource} the running poller.
 */
package io.edgeai4j.ingestion.modbus;
