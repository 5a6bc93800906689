/** Request and response bodies of the REST API, with their validation rules. */
package dev.vlltr.registry.dto;
