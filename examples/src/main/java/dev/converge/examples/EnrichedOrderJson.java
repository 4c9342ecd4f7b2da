package dev.converge.examples;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;

/**
 * The value of a result record of {@code --sink kafka}: an enriched order as JSON, such as {@code
 * {"id":17,"customerId":4,"customerName":"Customer 4","productId":9,"quantity":2,
 * "unitPriceCents":1250,"totalCents":2375,"priceSource":"PRIMARY"}}. Readers should ignore fields
 * they do not know, so that fields can be added.
 *
 * @param id the order id
 * @param customerId the customer's id
 * @param customerName the customer's name
 * @param productId the product's id
 * @param quantity how many
 * @param unitPriceCents the product's unit price
 * @param totalCents quantity times unit price, less the customer's discount
 * @param priceSource which price source won the batch's race: PRIMARY or FALLBACK
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record EnrichedOrderJson(
    long id,
    long customerId,
    String customerName,
    long productId,
    int quantity,
    long unitPriceCents,
    long totalCents,
    PriceOrigin priceSource) {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectReader READER = MAPPER.readerFor(EnrichedOrderJson.class);
  private static final ObjectWriter WRITER = MAPPER.writerFor(EnrichedOrderJson.class);

  /** Jackson's constructor: every field is required. */
  @JsonCreator
  EnrichedOrderJson(
      @JsonProperty(value = "id", required = true) long id,
      @JsonProperty(value = "customerId", required = true) long customerId,
      @JsonProperty(value = "customerName", required = true) String customerName,
      @JsonProperty(value = "productId", required = true) long productId,
      @JsonProperty(value = "quantity", required = true) int quantity,
      @JsonProperty(value = "unitPriceCents", required = true) long unitPriceCents,
      @JsonProperty(value = "totalCents", required = true) long totalCents,
      @JsonProperty(value = "priceSource", required = true) PriceOrigin priceSource) {
    this.id = id;
    this.customerId = customerId;
    this.customerName = customerName;
    this.productId = productId;
    this.quantity = quantity;
    this.unitPriceCents = unitPriceCents;
    this.totalCents = totalCents;
    this.priceSource = priceSource;
  }

  /**
   * The JSON of an enriched order.
   *
   * @param enriched the enriched order
   * @return its JSON text
   */
  static String write(EnrichedOrder enriched) {
    Order order = enriched.order();
    EnrichedOrderJson json =
        new EnrichedOrderJson(
            order.id(),
            order.customerId(),
            enriched.customerName(),
            order.productId(),
            order.quantity(),
            enriched.unitPriceCents(),
            enriched.totalCents(),
            enriched.origin());
    try {
      return WRITER.writeValueAsString(json);
    } catch (IOException e) {
      // Numbers, a name and an enum always serialise; this would be a bug in the mapping.
      throw new IllegalStateException("cannot write order " + order.id() + " as JSON", e);
    }
  }

  /**
   * Reads a result record's value.
   *
   * @param json the JSON text
   * @return the enriched order it holds
   * @throws IOException if it is not one
   */
  static EnrichedOrderJson read(String json) throws IOException {
    return READER.readValue(json);
  }
}
