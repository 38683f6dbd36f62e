package io.edgeai4j.ingestion.opcua;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Deserializers that take only the JSON type they name, so that {@code "100"}, {@code 100.7} or
 * {@code "true"} are errors rather than Jackson's silent coercions.
 */
final class StrictDeserializers {
  private StrictDeserializers() {}

  /** A JSON whole number that fits a long. */
  static final class WholeNumber extends JsonDeserializer<Long> {
    @Override
    public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        return (Long) context.handleUnexpectedToken(Long.class, parser.currentToken(), parser,
            "expected a whole number, found %s", parser.getText());
      }
      return parser.getLongValue();
    }
  }

  /** A JSON true or false. */
  static final class StrictBoolean extends JsonDeserializer<Boolean> {
    @Override
    public Boolean deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (!parser.currentToken().isBoolean()) {
        return (Boolean) context.handleUnexpectedToken(Boolean.class, parser.currentToken(), parser,
            "expected true or false, found %s", parser.getText());
      }
      return parser.getBooleanValue();
    }
  }
}
