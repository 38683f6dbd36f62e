package io.edgeai4j.ingestion.opcua;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** Reads a node id from its OPC UA text form ({@code ns=2;s=Machine/Temperature}) with Milo's parser. */
final class NodeIdDeserializer extends JsonDeserializer<NodeId> {
  @Override
  public NodeId deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      return (NodeId) context.handleUnexpectedToken(NodeId.class, parser.currentToken(), parser,
          "expected a node id as a string such as \"ns=2;s=Machine/Temperature\", found %s", parser.currentToken());
    }
    String text = parser.getText();
    NodeId nodeId = NodeId.parseOrNull(text.strip());
    if (nodeId == null) {
      return (NodeId) context.handleWeirdStringValue(NodeId.class, text,
          "\"%s\" is not an OPC UA node id; expected e.g. \"ns=2;s=Machine/Temperature\" or \"ns=3;i=1001\"", text);
    }
    return nodeId;
  }
}
