package io.edgeai4j.edgehub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PropertyBagTest {

  /** Uri.EscapeDataString's output for odd keys and values; each also survives a decode. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', emptyValue = "", value = {
      "$.mid         | %24.mid",
      "a b           | a%20b",
      "a+b           | a%2Bb",
      "a&b=c         | a%26b%3Dc",
      "/x/y          | %2Fx%2Fy",
      "text/plain; charset=UTF-8 | text%2Fplain%3B%20charset%3DUTF-8",
      "-._~AZaz09    | -._~AZaz09",
      "ü             | %C3%BC",
      "€             | %E2%82%AC",
      "😀            | %F0%9F%98%80",
      "100%          | 100%25",
      "''            | ''",
  })
  void escapesLikeUriEscapeDataStringAndDecodesBack(String text, String escaped) {
    assertThat(PropertyBag.escape(text)).isEqualTo(escaped);
    Map<String, String> bag = Map.of("k" + text, text);
    // edgeHub reads an empty value (k=) as null.
    assertThat(PropertyBag.decode(PropertyBag.encode(bag))).containsEntry("k" + text, text.isEmpty() ? null : text);
  }

  @Test
  void writesEdgeHubsOrderAndTheMessageAddressConverterGolden() {
    Map<String, String> bag = new LinkedHashMap<>();
    bag.put("Prop1", "Val1");
    bag.put("Prop2", "Val2");
    bag.put("$.cdid", "Device1");
    bag.put("$.cmid", "Module1");
    assertThat("a/123/c/" + PropertyBag.encode(bag))
        .isEqualTo("a/123/c/Prop1=Val1&Prop2=Val2&%24.cdid=Device1&%24.cmid=Module1");
  }

  @Test
  void writesTheCsharpSerializerGolden() {
    Map<String, String> bag = new LinkedHashMap<>();
    bag.put("$.to", "/devices/delMe/messages/deviceBound");
    bag.put("$.ct", "text/plain; charset=UTF-8");
    bag.put("$.ce", "utf-8");
    assertThat(PropertyBag.encode(bag)).isEqualTo(
        "%24.to=%2Fdevices%2FdelMe%2Fmessages%2FdeviceBound&%24.ct=text%2Fplain%3B%20charset%3DUTF-8&%24.ce=utf-8");
  }

  @Test
  void writesANullValueAsTheKeyAloneAndAnEmptyOneWithEqualsAndReadsBothAsNull() {
    Map<String, String> bag = new LinkedHashMap<>();
    bag.put("none", null);
    bag.put("empty", "");
    assertThat(PropertyBag.encode(bag)).isEqualTo("none&empty=");
    Map<String, String> read = new LinkedHashMap<>();
    read.put("none", null);
    read.put("empty", null);
    assertThat(PropertyBag.decode("none&empty=")).isEqualTo(read);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // bag                                   | key    | value
      "$.mid=m1&$.on=out/                      | $.on   | out",
      "%24.mid=m1&%24.on=out                   | $.on   | out",
      "%24.mid=m1&%24.on=out                   | $.mid  | m1",
      "a=x+y                                   | a      | x+y",
      "a=x%2By                                 | a      | x+y",
      "a=x%20y&                                | a      | x y",
      "na%C3%AFve=%E2%82%AC                    | naïve  | €",
      "k=a%3Db%26c                             | k      | a=b&c",
  })
  void readsRawAndEncodedKeysAndDecodedValues(String bag, String key, String value) {
    assertThat(PropertyBag.decode(bag)).containsEntry(key, value);
  }

  @Test
  void readsAKeyWithoutEqualsAsNull() {
    assertThat(PropertyBag.decode("k&j=1")).containsEntry("k", null).containsEntry("j", "1");
    assertThat(PropertyBag.decode("")).isEmpty();
    assertThat(PropertyBag.decode("/")).isEmpty();
    assertThat(PropertyBag.decode("a=1/b=2")).containsExactly(Map.entry("a", "1"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a=%zz   | bad escape at '%zz'",
      "a=b%2   | bad escape at '%2'",
      "=v      | empty key",
      "k=a=b   | has a second '='",
  })
  void refusesBadBagsNamingTheEntry(String bag, String message) {
    assertThatThrownBy(() -> PropertyBag.decode(bag))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("expected");
  }
}
