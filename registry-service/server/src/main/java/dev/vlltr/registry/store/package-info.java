/** JDBC persistence of models, versions, aliases, tags, policies and the audit log (prepared statements only). */
package dev.vlltr.registry.store;
