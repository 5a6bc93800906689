/** Finding and fetching public datasets for the stages, verified by content digest. */
package dev.vlltr.runtime.data;
