/**
 * Keeps the docker compose quickstart honest on a machine without a Docker engine.
 * {@link dev.switchboard.it.compose.ComposeFilesTest} checks {@code docker-compose.yml} and the
 * {@code Dockerfile} against the repository and Switchboard's config keys;
 * {@link dev.switchboard.it.compose.ComposeScenarioTest} replays the README's quickstart commands
 * against a real Consul binary, the same config file, the same registrations and the same example app.
 * Start reading at {@code ComposeScenarioTest}; {@link dev.switchboard.it.compose.ComposeFile},
 * {@link dev.switchboard.it.compose.Dockerfile} and {@link dev.switchboard.it.compose.QuickstartShell}
 * are the parsers and the small interpreter they share.
 */
package dev.switchboard.it.compose;
