/**
 * A real Consul agent for tests: {@link dev.switchboard.discovery.consul.testing.ConsulAgentExtension}
 * finds or starts one per test class and injects a
 * {@link dev.switchboard.discovery.consul.testing.ConsulAgent}. Exported in this module's test-jar
 * so integration tests use the same agent setup. Start reading at {@code ConsulAgentExtension}.
 */
package dev.switchboard.discovery.consul.testing;
