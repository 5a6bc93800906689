package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Promotion gate of a model. Moving a guarded alias (or the Production stage, guarded when
 * {@code production} is listed) to a version is refused when, for a metric in {@code maxDrop}, the
 * candidate is lower than the current holder by more than the allowed drop (in the metric's own units:
 * 0.01 = one point of a [0,1] accuracy), or when a metric in {@code minValue} is below its floor or missing.
 */
public record Policy(
        @Size(max = 20) List<@NotNull @Pattern(regexp = Patterns.ALIAS) String> guardedAliases,
        @Size(max = 50) Map<@Pattern(regexp = Patterns.METRIC) String, @NotNull @PositiveOrZero Double> maxDrop,
        @Size(max = 50) Map<@Pattern(regexp = Patterns.METRIC) String, @NotNull Double> minValue) {}
