/**
 * Bad input and faults against a real router (issue #7): malformed and hostile requests
 * ({@link dev.switchboard.it.faults.BadRequestTest}, {@link dev.switchboard.it.faults.ManyIdleConnectionsTest}),
 * what the router's own error responses reveal ({@link dev.switchboard.it.faults.ErrorResponsesLeakNothingTest}),
 * backends that break ({@link dev.switchboard.it.faults.BackendFaultsTest}), more clients than
 * upstream connections ({@link dev.switchboard.it.faults.OverloadTest}), config reloads under
 * load ({@link dev.switchboard.it.faults.ReloadUnderLoadTest}), abuse of the admin API on its real
 * listener ({@link dev.switchboard.it.faults.AdminApiAbuseTest}, {@link dev.switchboard.it.faults.AdminHugeBodyTest})
 * and security defaults ({@link dev.switchboard.it.faults.SecurityDefaultsTest}: loopback admin
 * socket, constant-time token check, X-Forwarded-For from untrusted clients ignored).
 *
 * <p>Helpers: {@link dev.switchboard.it.faults.Wire} sends raw bytes on a fresh connection and
 * reports what came back (including "closed without a response"); {@link dev.switchboard.it.faults.RawBackend}
 * is a backend on a plain {@code ServerSocket} that answers with bytes we choose (garbage, a
 * truncated body); {@link dev.switchboard.it.faults.Clients} is bounded concurrent GET load that
 * records every status and latency; {@link dev.switchboard.it.faults.ProcessStats} reads this
 * JVM's open file descriptors and heap; {@link dev.switchboard.it.faults.IdleClients} is a child
 * process holding thousands of idle connections.
 *
 * <p>Tests marked {@code @Disabled("bug: …")} reproduce open router bugs; run them with
 * {@code -Djunit.jupiter.conditions.deactivate='org.junit.*DisabledCondition'}.
 *
 * <p>The short forms run in {@code verify} in a few seconds each. The one-minute overload run is
 * behind {@code -Dswitchboard.faults.full=true}:
 * {@code ./mvnw -B verify -pl integration-tests -am -Dtest='OverloadTest' -Dsurefire.failIfNoSpecifiedTests=false -Dswitchboard.faults.full=true}
 * (or the whole suite with {@code -Dtest='dev.switchboard.it.faults.*Test'}). The 30-minute soak is
 * {@code bench/soak.sh}.
 *
 * <p>The router and its backends come from the router module's test-jar ({@code dev.switchboard.router.testing}):
 * none of these tests need Consul.
 */
package dev.switchboard.it.faults;
