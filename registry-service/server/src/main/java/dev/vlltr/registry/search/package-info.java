/** The search filter language, sort orders and keyset page cursors. */
package dev.vlltr.registry.search;
