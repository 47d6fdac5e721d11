/**
 * Technical-indicator and anomaly math for the Gold layer, in plain Java (no Beam).
 *
 * <p>{@link dev.ticklake.transforms.indicators.IndicatorEngine} and {@link
 * dev.ticklake.transforms.indicators.AnomalyDetector} consume one symbol's bars in bar-start order
 * and keep only a bounded state. That state can be snapshotted after any bar (typically the last
 * bar of a day) and restored later; continuing from a restored snapshot gives bit-identical results
 * to an uninterrupted run over the full history. This is what lets Gold recompute only the touched
 * (symbol, date) partitions while every value still equals a full-history computation.
 */
package dev.ticklake.transforms.indicators;
