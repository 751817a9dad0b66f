/** Static discovery: instances declared in configuration, the embedded default that needs no Consul. */
package dev.switchboard.discovery.file;
