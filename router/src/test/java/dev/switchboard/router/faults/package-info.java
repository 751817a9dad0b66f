/**
 * Bad input and faults against a real router (issue #7): malformed and hostile requests
 * ({@link dev.switchboard.router.faults.BadRequestTest}, {@link dev.switchboard.router.faults.ManyIdleConnectionsTest}),
 * what the router's own error responses reveal ({@link dev.switchboard.router.faults.ErrorResponsesLeakNothingTest}),
 * backends that break ({@link dev.switchboard.router.faults.BackendFaultsTest}), more clients than
 * upstream connections ({@link dev.switchboard.router.faults.OverloadTest}) and config reloads under
 * load ({@link dev.switchboard.router.faults.ReloadUnderLoadTest}).
 *
 * <p>Helpers: {@link dev.switchboard.router.faults.Wire} sends raw bytes on a fresh connection and
 * reports what came back (including "closed without a response"); {@link dev.switchboard.router.faults.RawBackend}
 * is a backend on a plain {@code ServerSocket} that answers with bytes we choose (garbage, a
 * truncated body); {@link dev.switchboard.router.faults.Clients} is bounded concurrent GET load that
 * records every status and latency; {@link dev.switchboard.router.faults.ProcessStats} reads this
 * JVM's open file descriptors and heap; {@link dev.switchboard.router.faults.IdleClients} is a child
 * process holding thousands of idle connections.
 *
 * <p>Tests marked {@code @Disabled("bug: …")} reproduce open router bugs; run them with
 * {@code -Djunit.jupiter.conditions.deactivate='org.junit.*DisabledCondition'}.
 *
 * <p>The short forms run in {@code verify} in a few seconds each. The one-minute overload run is
 * behind {@code -Dswitchboard.faults.full=true}; the 30-minute soak is {@code bench/soak.sh}.
 */
package dev.switchboard.router.faults;
