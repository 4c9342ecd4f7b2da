package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The record value format of docs/design.md section 5.3, read and written with Jackson. */
class OrderJsonTest {

  private static OrderMessage read(String json) throws IOException {
    return OrderJson.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheDocumentedFormat() throws IOException {
    assertEquals(
        new OrderMessage(17, 4, 9, 2),
        read("{\"id\": 17, \"customerId\": 4, \"productId\": 9, \"quantity\": 2}"));
  }

  @Test
  void ignoresFieldsItDoesNotKnow() throws IOException {
    assertEquals(
        new OrderMessage(17, 4, 9, 2),
        read(
            "{\"id\":17,\"channel\":\"web\","
                + "\"customerId\":4,\"productId\":9,\"quantity\":2,\"tags\":[\"a\",{\"b\":1}]}"));
  }

  @Test
  void writesWhatItReads() throws IOException {
    OrderMessage order = new OrderMessage(Long.MAX_VALUE, 10_000, 500, 5);
    byte[] json = OrderJson.write(order);

    assertEquals(order, OrderJson.read(json));
    assertEquals(
        "{\"id\":9223372036854775807,\"customerId\":10000,\"productId\":500,\"quantity\":5}",
        new String(json, StandardCharsets.UTF_8));
    assertEquals("9223372036854775807", order.key());
  }

  @Test
  void rejectsAnOrderWithAFieldMissing() {
    assertThrows(IOException.class, () -> read("{\"id\":17,\"customerId\":4,\"productId\":9}"));
  }

  @Test
  void rejectsNullAndMistypedFields() {
    assertThrows(
        IOException.class,
        () -> read("{\"id\":null,\"customerId\":4,\"productId\":9,\"quantity\":2}"));
    assertThrows(
        IOException.class,
        () -> read("{\"id\":\"seventeen\",\"customerId\":4,\"productId\":9,\"quantity\":2}"));
  }

  @Test
  void rejectsWhatIsNotJson() {
    assertThrows(IOException.class, () -> read("id=17"));
    assertThrows(
        IOException.class,
        () -> read("{\"id\":17,\"customerId\":4,\"productId\":9,\"quantity\":2} trailing"));
  }

  @Test
  void kafkaDeserializerNamesTheProblem() {
    try (OrderJson.Reader reader = new OrderJson.Reader()) {
      SerializationException missing =
          assertThrows(
              SerializationException.class,
              () -> reader.deserialize("orders", "{\"id\":1}".getBytes(StandardCharsets.UTF_8)));
      assertTrue(missing.getMessage().startsWith("not an order: "), missing.getMessage());
      assertThrows(SerializationException.class, () -> reader.deserialize("orders", null));
    }
  }

  @Test
  void kafkaSerializerWritesTheJson() {
    try (OrderJson.Writer writer = new OrderJson.Writer()) {
      OrderMessage order = new OrderMessage(1, 2, 3, 4);
      assertArrayEquals(OrderJson.write(order), writer.serialize("orders", order));
      assertNull(writer.serialize("orders", null));
    }
  }
}
