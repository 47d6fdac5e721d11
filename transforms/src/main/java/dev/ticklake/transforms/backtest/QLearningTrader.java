package dev.ticklake.transforms.backtest;

import java.util.Arrays;
import java.util.Random;

/**
 * A tabular Q-learning trader. States are discretised features of the bar plus the position held;
 * actions are the next position (long and flat, and short when allowed); the reward of an action at
 * bar t is the next step's return after costs, exactly as {@link Backtest} books it. Training runs
 * epsilon-greedy episodes over the training bars only (ε decays linearly to 0.01 over the
 * episodes), with one seeded {@link Random}: the same inputs and seed give the same table.
 * Evaluation acts greedily (ties: flat first, then long, then short).
 *
 * <p>Not thread-safe.
 */
public final class QLearningTrader {
  /**
   * Settings.
   *
   * @param allowShort whether −1 is an action
   * @param episodes passes over the training bars
   * @param alpha learning rate
   * @param gamma discount of the next state's value
   * @param epsilon initial exploration rate
   * @param cost transaction cost per unit of position change
   */
  public record Settings(
      boolean allowShort,
      int episodes,
      double alpha,
      double gamma,
      double epsilon,
      double cost,
      long seed)
      implements java.io.Serializable {
    /** Long/flat, 200 episodes, α 0.1, γ 0.9, ε 0.3, 5 bp cost. */
    public static Settings defaults(long seed) {
      return new Settings(false, 200, 0.1, 0.9, 0.3, 0.0005, seed);
    }
  }

  private final Settings settings;
  private final int[] actions;
  private final int marketStates;
  private final double[][] q;

  /** A trader over {@code marketStates} discretised market states (see {@link StateEncoder}). */
  public QLearningTrader(Settings settings, int marketStates) {
    this.settings = settings;
    this.actions = settings.allowShort() ? new int[] {0, 1, -1} : new int[] {0, 1};
    this.marketStates = marketStates;
    this.q = new double[marketStates * 3][actions.length];
  }

  /**
   * Trains on bars {@code [0, n)}: {@code states[t]} is bar t's market state, {@code closes} has n
   * + 1 entries (the step after the last bar is needed for its reward).
   */
  public void train(int[] states, double[] closes) {
    check(states, closes);
    Random random = new Random(settings.seed());
    for (int episode = 0; episode < settings.episodes(); episode++) {
      double epsilon =
          Math.max(
              0.01,
              settings.epsilon() * (1 - (double) episode / Math.max(1, settings.episodes() - 1)));
      int held = 0;
      for (int t = 0; t < states.length; t++) {
        int s = state(states[t], held);
        int a = random.nextDouble() < epsilon ? random.nextInt(actions.length) : greedy(q[s]);
        int position = actions[a];
        double reward =
            position * (closes[t + 1] / closes[t] - 1)
                - settings.cost() * Math.abs(position - held);
        double next = t + 1 < states.length ? max(q[state(states[t + 1], position)]) : 0.0;
        q[s][a] += settings.alpha() * (reward + settings.gamma() * next - q[s][a]);
        held = position;
      }
    }
  }

  /** The greedy positions over {@code states}, starting flat. */
  public int[] act(int[] states) {
    int[] positions = new int[states.length];
    int held = 0;
    for (int t = 0; t < states.length; t++) {
      held = actions[greedy(q[state(states[t], held)])];
      positions[t] = held;
    }
    return positions;
  }

  /** A copy of the Q table (rows: market state × 3 + position index; columns: actions). */
  public double[][] table() {
    return Arrays.stream(q).map(double[]::clone).toArray(double[][]::new);
  }

  private int state(int market, int held) {
    if (market < 0 || market >= marketStates) {
      throw new IllegalArgumentException(
          "market state " + market + " outside [0, " + marketStates + ")");
    }
    return market * 3 + (held + 1);
  }

  private static int greedy(double[] values) {
    int best = 0;
    for (int a = 1; a < values.length; a++) {
      if (values[a] > values[best]) {
        best = a;
      }
    }
    return best;
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  private static void check(int[] states, double[] closes) {
    if (closes.length != states.length + 1) {
      throw new IllegalArgumentException(
          "training needs one more close than states: "
              + closes.length
              + " closes, "
              + states.length
              + " states");
    }
  }
}
