/** The Jetson qualification suite (issue 15): what the suite checks before it runs, and what it measures. */
package io.edgeai4j.hardwaretests;
