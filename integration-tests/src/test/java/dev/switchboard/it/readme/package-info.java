/**
 * Keeps README.md's commands and examples working: {@link dev.switchboard.it.readme.ReadmeCommandsTest}
 * requires every command of a {@code bash} block to be run by {@code .ci/run} or by a named test, and
 * the YAML example to equal the config file the loader tests read; {@link dev.switchboard.it.readme.DemoCommandTest}
 * runs the demo line for real. {@link dev.switchboard.it.readme.Readme} is the small Markdown reader they share.
 */
package dev.switchboard.it.readme;
