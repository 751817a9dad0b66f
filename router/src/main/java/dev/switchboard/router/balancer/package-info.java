/**
 * Load balancing: a {@link dev.switchboard.router.balancer.LoadBalancingStrategy} is a factory that
 * turns an immutable endpoint list into a {@link dev.switchboard.router.balancer.Selector}; one small
 * class per algorithm. {@link dev.switchboard.router.balancer.Strategies} is the one registry of names.
 *
 * <p>Where to start reading: the SPI ({@code Endpoint}, {@code SelectionContext}, {@code Selector},
 * {@code LoadBalancingStrategy}), then {@code Strategies}, then any algorithm:
 * <ul>
 *   <li>{@code RoundRobin}, {@code SmoothWeightedRoundRobin} (nginx's smooth WRR over a precomputed
 *       {@code SmoothSchedule}), {@code RandomPick}, {@code WeightedRandom};</li>
 *   <li>{@code P2CLeastRequests} and {@code P2CPeakEwma}, both on {@code PowerOfTwoChoices};</li>
 *   <li>{@code RingHash} and {@code Maglev}, keyed by {@code SelectionContext.hashKey()} computed with
 *       {@code HashKeys}, both walking past unusable owners with {@code HashTableWalk};</li>
 *   <li>{@code Sticky}, which wraps a fallback strategy.</li>
 * </ul>
 * The backend object holds a {@code PeakEwma} latency estimator and computes its slow-start weight
 * with {@code SlowStart}. {@code Picks} has the allocation-free helpers the selectors share.
 *
 * <p>Rules every selector follows: all per-endpoint precomputation (schedules, cumulative weights,
 * rings, tables) happens in {@code newSelector}; {@code select} is lock-free, O(1) or O(log n) in the
 * usual case and allocation-free; unusable endpoints are skipped and null is returned only when none
 * is usable; randomness comes from {@code SelectionContext.random()} and time from
 * {@code SelectionContext.nowNanos()}, so tests are deterministic.
 */
package dev.switchboard.router.balancer;
