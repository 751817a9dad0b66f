/**
 * Configuration: immutable records bound from one YAML file (snake_case keys), defaults applied in
 * the records' compact constructors. Start at {@link dev.switchboard.router.config.SwitchboardConfig}
 * for the shape and at {@link dev.switchboard.router.config.ConfigLoader} for the pipeline:
 * {@code EnvSubstitution} ({@code ${VAR}}, {@code ${VAR:-default}}) → Jackson binding, whose failures
 * {@code BindingErrors} turns into messages → {@code EnvDefaults} (CONSUL_HTTP_*, SWITCHBOARD_ADMIN_TOKEN)
 * → {@code ConfigValidator} / {@code ServiceValidator} semantic checks. Every problem becomes one line of a
 * {@link dev.switchboard.router.config.ConfigException}: {@code field.path: value (expected: …)}. Secrets
 * (the admin and Consul tokens) are never printed, in messages or in {@code toString()}.
 */
package dev.switchboard.router.config;
