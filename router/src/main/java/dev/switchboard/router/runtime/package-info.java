/**
 * Wiring and the control plane: {@link dev.switchboard.router.runtime.Switchboard} starts the
 * listener and discovery, and one control thread turns each new catalog snapshot or config into a
 * new {@link dev.switchboard.router.proxy.RoutingState} ({@link dev.switchboard.router.runtime.RoutingStateBuilder}),
 * swapped atomically under running requests.
 */
package dev.switchboard.router.runtime;
