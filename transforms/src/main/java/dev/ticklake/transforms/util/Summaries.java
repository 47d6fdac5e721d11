package dev.ticklake.transforms.util;

import java.util.Collection;
import java.util.TreeSet;

/**
 * Short, size-independent descriptions of value sets for log lines and job summaries: a count and a
 * range ({@code "5105 dates 2006-01-03..2026-04-17"}) instead of every value, so that a decade-long
 * backfill still logs one short line.
 */
public final class Summaries {
  private Summaries() {}

  /**
   * {@code "no <plural>"}, the single value ({@code "1 date 2026-11-18"}), or {@code "<n> <plural>
   * <first>..<last>"} over the values in natural (for ISO dates: chronological) order. Duplicates
   * count once; nulls are not allowed.
   */
  public static String countAndRange(Collection<String> values, String singular, String plural) {
    TreeSet<String> sorted = new TreeSet<>(values);
    if (sorted.isEmpty()) {
      return "no " + plural;
    }
    if (sorted.size() == 1) {
      return "1 " + singular + " " + sorted.first();
    }
    return sorted.size() + " " + plural + " " + sorted.first() + ".." + sorted.last();
  }

  /** {@link #countAndRange(Collection, String, String)} for ISO dates. */
  public static String dates(Collection<String> isoDates) {
    return countAndRange(isoDates, "date", "dates");
  }
}
