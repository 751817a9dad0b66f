/**
 * The {@code switchboard} command line (picocli): {@code run [--config FILE]}, {@code validate FILE},
 * {@code demo}, {@code --help}, {@code --version}. Start at {@link dev.switchboard.router.cli.Main}; it
 * owns the exit codes (0 ok, 1 runtime failure, 2 bad configuration or usage). The environment
 * ({@code SWITCHBOARD_CONFIG}, and the variables {@link dev.switchboard.router.config.ConfigLoader}
 * reads) is injected through {@code Main} so tests need no real environment.
 */
package dev.switchboard.router.cli;
