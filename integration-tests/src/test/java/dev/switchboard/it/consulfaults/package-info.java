/**
 * Consul misbehaving under steady load (issue #7), against the real agent: Consul answering 500s
 * ({@link dev.switchboard.it.consulfaults.ConsulErrorsTest}), answering slowly or not at all
 * ({@link dev.switchboard.it.consulfaults.ConsulSlowTest}), a catalog that churns every 100 ms
 * ({@link dev.switchboard.it.consulfaults.CatalogChurnTest}), and data the agent accepts but no
 * router should route to, plus thousands of instances of one service
 * ({@link dev.switchboard.it.consulfaults.BadConsulDataTest}). Each test proves zero client-visible
 * errors with {@link dev.switchboard.it.Load} and prints one line of numbers.
 *
 * <p>Helpers: {@link dev.switchboard.it.consulfaults.ConsulFaultProxy} sits between the router and
 * the agent and forwards, answers 500, delays or holds; {@link dev.switchboard.it.consulfaults.RawCatalog}
 * registers what {@code Catalog} cannot (bad ports, absurd tags, other nodes, bulk transactions);
 * {@link dev.switchboard.it.consulfaults.LogLines} counts WARN lines; {@link dev.switchboard.it.consulfaults.RouterView}
 * reads what the router believes.
 *
 * <p>The short forms run in {@code verify} in about 40 s together. {@code -Dswitchboard.faults.full=true}
 * (the flag of the router fault tests) makes the 500s last 30 s, the hang 25 s (past the router's
 * read timeout), the churn one minute and the big service 10,000 instances:
 * {@code ./mvnw -pl integration-tests verify -Dtest='dev.switchboard.it.consulfaults.*Test' -Dswitchboard.faults.full=true}.
 */
package dev.switchboard.it.consulfaults;
