/**
 * End-to-end tests: the real router in-process, real HTTP backends on loopback, and a real Consul
 * agent per test class from {@code ConsulAgentExtension} (discovery's test-jar; skipped without
 * Consul, failing under {@code CI=true}). Start reading at {@link dev.switchboard.it.ConsulRoutingTest};
 * the helpers are {@link dev.switchboard.it.Router} (router from YAML), {@link dev.switchboard.it.Catalog}
 * (registrations with TTL checks), {@link dev.switchboard.it.Backend} and {@link dev.switchboard.it.Load}.
 * {@link dev.switchboard.it.PropagationLatencyTest} writes {@code target/propagation.txt}.
 */
package dev.switchboard.it;
