package dev.converge.examples;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An order as a Kafka record's value carries it: {@code {"id": 17, "customerId": 4, "productId": 9,
 * "quantity": 2}} in UTF-8. Every field is required; fields it does not know are ignored, so
 * producers may add their own.
 *
 * @param id the order's id, which identifies it within its topic; the record's key is this id in
 *     decimal, so an order's records stay in one partition
 * @param customerId the customer who placed it
 * @param productId the product ordered
 * @param quantity how many units
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record OrderMessage(long id, long customerId, long productId, int quantity) {

  /**
   * Reads the fields; Jackson calls this with each field required.
   *
   * @param id the order's id
   * @param customerId the customer
   * @param productId the product
   * @param quantity how many units
   */
  @JsonCreator
  OrderMessage(
      @JsonProperty(value = "id", required = true) long id,
      @JsonProperty(value = "customerId", required = true) long customerId,
      @JsonProperty(value = "productId", required = true) long productId,
      @JsonProperty(value = "quantity", required = true) int quantity) {
    this.id = id;
    this.customerId = customerId;
    this.productId = productId;
    this.quantity = quantity;
  }

  /**
   * Returns the order as the pipeline handles it.
   *
   * @param arrivalNanos when it arrived, on the {@link System#nanoTime()} clock
   * @return the order
   */
  Order toOrder(long arrivalNanos) {
    return new Order(id, customerId, productId, quantity, arrivalNanos);
  }

  /**
   * Returns the message of an order.
   *
   * @param order the order
   * @return its message
   */
  static OrderMessage of(Order order) {
    return new OrderMessage(order.id(), order.customerId(), order.productId(), order.quantity());
  }

  /**
   * Returns the record key of this order.
   *
   * @return its id in decimal
   */
  String key() {
    return Long.toString(id);
  }
}
