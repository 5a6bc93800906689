package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Evaluation metrics of a version. {@code overall} keys are searchable as {@code metrics.<key>};
 * {@code shots.<split>.<key>} (split = many, medium, few) as {@code metrics.<split>_<key>}
 * (e.g. {@code metrics.few_acc}); {@code perClass} is stored and returned but not searchable.
 */
public record Metrics(
        @Size(max = 200) Map<@Pattern(regexp = Patterns.METRIC) String, @NotNull Double> overall,
        @Size(max = 3) Map<@Pattern(regexp = Patterns.SHOT_SPLIT, message = "must be many, medium or few") String,
                @NotNull @Size(max = 200) Map<@Pattern(regexp = Patterns.METRIC) String, @NotNull Double>> shots,
        @Size(max = 100000) Map<@NotNull @Size(min = 1, max = 256) String,
                @NotNull @Size(max = 50) Map<@Pattern(regexp = Patterns.METRIC) String, @NotNull Double>> perClass) {}
