/**
 * The public listener: Undertow setup from {@code listen} config, request limits, and graceful
 * drain on shutdown. Start at {@link dev.switchboard.router.server.ProxyServer}.
 */
package dev.switchboard.router.server;
