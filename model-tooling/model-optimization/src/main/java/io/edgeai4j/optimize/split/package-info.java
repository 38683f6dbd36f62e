/**
 * Splitting an ONNX model into parts that run one after another (horizontal: {@link HorizontalSplit}, by cuts that
 * separate the inputs from the outputs) or side by side (vertical: {@link VerticalSplit}, Conv and Gemm layers by
 * output channels), for partitioned inference across device, edge node and cloud (issue 17).
 */
package io.edgeai4j.optimize.split;
