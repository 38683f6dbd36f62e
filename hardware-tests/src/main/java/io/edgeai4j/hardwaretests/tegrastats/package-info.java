/** tegrastats on Jetson Orin: the line parser and a sampler that runs it as a child process. */
package io.edgeai4j.hardwaretests.tegrastats;
