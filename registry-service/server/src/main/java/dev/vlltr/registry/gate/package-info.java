/** Aliases, stage transitions and promotion gates (409 with the reasons when a policy blocks a promotion). */
package dev.vlltr.registry.gate;
