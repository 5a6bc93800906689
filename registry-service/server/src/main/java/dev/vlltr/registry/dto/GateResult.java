package dev.vlltr.registry.dto;

import java.util.List;

/** Outcome of a promotion-gate evaluation; {@code reasons} lists every failed rule. */
public record GateResult(String alias, int candidate, Integer current, boolean allowed, List<String> reasons) {}
