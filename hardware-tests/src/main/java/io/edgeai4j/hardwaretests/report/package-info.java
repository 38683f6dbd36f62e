/** The hardware suite's report: JSON, a text summary and a latency histogram PNG. */
package io.edgeai4j.hardwaretests.report;
