/**
 * Load balancing: a {@link dev.switchboard.router.balancer.LoadBalancingStrategy} is a factory that
 * turns an immutable endpoint list into a {@link dev.switchboard.router.balancer.Selector}; one small
 * class per algorithm. {@link dev.switchboard.router.balancer.Strategies} is the one registry of names.
 */
package dev.switchboard.router.balancer;
