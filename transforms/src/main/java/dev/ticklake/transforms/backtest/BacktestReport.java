package dev.ticklake.transforms.backtest;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The text report a backtest prints: one line per symbol and strategy, as a Tablesaw table. */
public final class BacktestReport {
  private BacktestReport() {}

  /** One summary line. */
  public record Line(
      String symbol,
      String strategy,
      double totalReturn,
      double sharpe,
      double maxDrawdown,
      long trades,
      double costsPaid) {}

  /** The report table of {@code lines}, sorted by symbol then strategy. */
  public static Table table(List<Line> lines) {
    Table t =
        Table.create(
            "backtest",
            StringColumn.create("symbol", lines.stream().map(Line::symbol).toList()),
            StringColumn.create("strategy", lines.stream().map(Line::strategy).toList()),
            DoubleColumn.create(
                "total_return", lines.stream().mapToDouble(Line::totalReturn).toArray()),
            DoubleColumn.create("sharpe", lines.stream().mapToDouble(Line::sharpe).toArray()),
            DoubleColumn.create(
                "max_drawdown", lines.stream().mapToDouble(Line::maxDrawdown).toArray()),
            LongColumn.create("trades", lines.stream().mapToLong(Line::trades).toArray()),
            DoubleColumn.create(
                "costs_paid", lines.stream().mapToDouble(Line::costsPaid).toArray()));
    return t.sortAscendingOn("symbol", "strategy");
  }

  /** The printed report: every row, fixed-width. */
  public static String print(List<Line> lines) {
    return lines.isEmpty() ? "(no symbol had enough bars to backtest)" : table(lines).printAll();
  }
}
