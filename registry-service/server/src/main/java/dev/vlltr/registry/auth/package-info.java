/** API-key authentication: hashed keys, roles (reader, writer, admin), the request filter and bootstrap. */
package dev.vlltr.registry.auth;
