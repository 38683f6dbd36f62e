/**
 * The in-process edgeHub of the local runtime: it routes module output with the edgeHub route engine
 * into one queue per endpoint and priority, expires messages by their time to live, delivers them to
 * module inputs or to the upstream file, and serves module twins and direct methods.
 */
package io.edgeai4j.runtime.hub;
