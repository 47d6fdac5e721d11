/**
 * The Kafka market-event contract: {@link dev.ticklake.schemas.event.MarketEvent} (the value type),
 * {@link dev.ticklake.schemas.event.MarketEventCodec} (JSON on the wire) and the JSON Schema {@code
 * contracts/market-event.schema.json} on the classpath, which documents the two wire forms with
 * examples.
 */
package dev.ticklake.schemas.event;
