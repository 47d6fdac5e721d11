package dev.ticklake.transforms.indicators;

import java.io.Serializable;

/**
 * The indicators of one bar, as returned by {@link IndicatorEngine#accept(Bar)}. A component is
 * {@code null} while the series is too short for it (see {@link IndicatorEngine} for each warm-up
 * length); a non-null component is always finite.
 *
 * @param sma20 simple moving average of the last 20 closes
 * @param sma50 simple moving average of the last 50 closes
 * @param ema12 exponential moving average, 12 bars
 * @param ema26 exponential moving average, 26 bars
 * @param rsi14 Wilder's relative strength index, 14 bars, in [0, 100]
 * @param macd MACD line: ema12 − ema26
 * @param macdSignal EMA(9) of the MACD line
 * @param macdHist macd − macdSignal
 * @param bbUpper Bollinger(20, 2) upper band
 * @param bbMiddle Bollinger middle band (= sma20)
 * @param bbLower Bollinger lower band
 * @param bbPctB Bollinger %b
 * @param atr14 Wilder's average true range, 14 bars
 * @param volatility20 realised volatility: sample standard deviation of the last 20 log returns,
 *     annualised by √252 when the engine is configured so
 * @param obv on-balance volume
 */
public record IndicatorValues(
    Double sma20,
    Double sma50,
    Double ema12,
    Double ema26,
    Double rsi14,
    Double macd,
    Double macdSignal,
    Double macdHist,
    Double bbUpper,
    Double bbMiddle,
    Double bbLower,
    Double bbPctB,
    Double atr14,
    Double volatility20,
    Double obv)
    implements Serializable {}
