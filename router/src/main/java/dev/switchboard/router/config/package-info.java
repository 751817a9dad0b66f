/**
 * Configuration: immutable records bound from one YAML file (snake_case keys), defaults applied in
 * the records' constructors, and {@link dev.switchboard.router.config.ConfigLoader} which turns any
 * bad input into {@link dev.switchboard.router.config.ConfigException} whose messages name the field
 * path, the bad value and what was expected. Start at {@link dev.switchboard.router.config.SwitchboardConfig}.
 */
package dev.switchboard.router.config;
