package dev.converge.examples;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON of an {@link OrderMessage}, with Jackson, as a Kafka serializer and deserializer. A value
 * that is not such an order (not JSON, a field missing, null or of the wrong type) fails to
 * deserialize, and the Kafka consumer reports it with the topic, partition and offset.
 *
 * <p>Thread-safe: Jackson's readers and writers are immutable.
 */
final class OrderJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectReader READER = MAPPER.readerFor(OrderMessage.class);
  private static final ObjectWriter WRITER = MAPPER.writerFor(OrderMessage.class);

  private OrderJson() {}

  /**
   * Reads an order.
   *
   * @param json UTF-8 JSON
   * @return the order
   * @throws IOException if it is not an order
   */
  static OrderMessage read(byte[] json) throws IOException {
    return READER.readValue(json);
  }

  /**
   * Writes an order.
   *
   * @param order the order
   * @return its UTF-8 JSON
   */
  static byte[] write(OrderMessage order) {
    try {
      return WRITER.writeValueAsBytes(order);
    } catch (IOException e) {
      // Four numbers always serialise; this would be a bug in the mapping.
      throw new IllegalStateException("cannot write order " + order.id() + " as JSON", e);
    }
  }

  /** The consumer's value deserializer. */
  static final class Reader implements Deserializer<OrderMessage> {

    /** Creates the deserializer; Kafka instantiates it by class name. */
    public Reader() {}

    /**
     * Reads a record's value.
     *
     * @param topic the record's topic
     * @param data the value
     * @return the order
     * @throws SerializationException if the value is null or not an order
     */
    @Override
    public OrderMessage deserialize(String topic, byte[] data) {
      if (data == null) {
        throw new SerializationException("an order record has no value");
      }
      try {
        return read(data);
      } catch (IOException e) {
        throw new SerializationException("not an order: " + ServiceFailure.describe(e), e);
      }
    }
  }

  /** The producer's value serializer. */
  static final class Writer implements Serializer<OrderMessage> {

    /** Creates the serializer; Kafka instantiates it by class name. */
    public Writer() {}

    /**
     * Writes a record's value.
     *
     * @param topic the record's topic
     * @param order the order
     * @return its JSON
     */
    @Override
    public byte[] serialize(String topic, OrderMessage order) {
      return order == null ? null : write(order);
    }
  }
}
