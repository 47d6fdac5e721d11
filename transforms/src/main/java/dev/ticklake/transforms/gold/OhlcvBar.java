package dev.ticklake.transforms.gold;

import dev.ticklake.transforms.indicators.Bar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One aggregated bar of {@code gold/bars_1m} or {@code gold/bars_1d}, before indicators.
 *
 * <p>Definitions over the bar's Silver events taken in {@link SilverEvent#EVENT_ORDER}: open = the
 * first event's open, close = the last event's close, high/low = the extremes of the events'
 * highs/lows, volume = Σ volume, trade_count = number of events (a bar event counts as one), vwap =
 * Σ(price·volume) / Σ volume with price = a trade's price or a bar event's typical price (high +
 * low + close)/3; when Σ volume is 0, vwap is the close. Sums run in event order, so a bar is
 * bit-identical whichever runner or bundling computed it.
 *
 * @param barStartMicros start of the bar, µs since the epoch (UTC)
 * @param tradeDate UTC date of the bar start, days since the epoch
 */
public record OhlcvBar(
    long barStartMicros,
    int tradeDate,
    double open,
    double high,
    double low,
    double close,
    long volume,
    double vwap,
    long tradeCount)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Microseconds in a minute and in a day: the bar lengths of Gold. */
  public static final long MINUTE_MICROS = 60_000_000L;

  public static final long DAY_MICROS = 86_400_000_000L;

  /** The bar as input of {@code IndicatorEngine} and {@code AnomalyDetector}. */
  public Bar toIndicatorBar() {
    return new Bar(barStartMicros, open, high, low, close, volume);
  }

  /** A compact, deterministic binary coder for {@link OhlcvBar}. */
  public static final class BarCoder extends AtomicCoder<OhlcvBar> {
    private static final long serialVersionUID = 1L;
    private static final BarCoder INSTANCE = new BarCoder();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();

    public static BarCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(OhlcvBar b, OutputStream out) throws IOException {
      LONG.encode(b.barStartMicros, out);
      INT.encode(b.tradeDate, out);
      DOUBLE.encode(b.open, out);
      DOUBLE.encode(b.high, out);
      DOUBLE.encode(b.low, out);
      DOUBLE.encode(b.close, out);
      LONG.encode(b.volume, out);
      DOUBLE.encode(b.vwap, out);
      LONG.encode(b.tradeCount, out);
    }

    @Override
    public OhlcvBar decode(InputStream in) throws IOException {
      return new OhlcvBar(
          LONG.decode(in),
          INT.decode(in),
          DOUBLE.decode(in),
          DOUBLE.decode(in),
          DOUBLE.decode(in),
          DOUBLE.decode(in),
          LONG.decode(in),
          DOUBLE.decode(in),
          LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
