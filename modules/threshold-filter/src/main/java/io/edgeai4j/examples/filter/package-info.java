/** A threshold filter: forwards readings whose chosen field is above a threshold set in its twin. */
package io.edgeai4j.examples.filter;
