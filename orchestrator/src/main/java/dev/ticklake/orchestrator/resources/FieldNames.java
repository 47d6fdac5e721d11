package dev.ticklake.orchestrator.resources;

/**
 * The API's one case convention: JSON field and query parameter names are camelCase, including the
 * rows of lake tables, whose columns are snake_case ({@code bar_start} is served as {@code
 * barStart}, {@code sma_20} as {@code sma20}).
 */
public final class FieldNames {

  private FieldNames() {}

  /** {@code bar_start} → {@code barStart}; names without underscores are returned unchanged. */
  public static String camelCase(String snake) {
    if (snake.indexOf('_') < 0) {
      return snake;
    }
    StringBuilder out = new StringBuilder(snake.length());
    boolean upper = false;
    for (int i = 0; i < snake.length(); i++) {
      char c = snake.charAt(i);
      if (c == '_') {
        upper = out.length() > 0;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
