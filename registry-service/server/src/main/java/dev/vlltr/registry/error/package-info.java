/** RFC 9457 problem+json errors and the exception mappers that produce them. */
package dev.vlltr.registry.error;
