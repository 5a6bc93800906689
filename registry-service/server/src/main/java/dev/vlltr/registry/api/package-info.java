/** JAX-RS resources of the REST API under /api/v1 (thin: validation, auth role, ETag headers). */
package dev.vlltr.registry.api;
