/** Model registry service: entry point (embedded PostgreSQL default) and the REST application. */
package dev.vlltr.registry;
