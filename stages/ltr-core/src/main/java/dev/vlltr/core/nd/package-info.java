/** Small NDArray helpers that work around DJL engine behaviour (each names the behaviour it works around). */
package dev.vlltr.core.nd;
