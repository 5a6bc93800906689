package dev.vlltr.stage.evaluation;

import java.util.Map;

/**
 * One model of the comparison: its scores on the validation and test splits and where they came from.
 *
 * @param key           short identifier for metric names and files ({@code lgr_mix}, {@code crt})
 * @param name          what the table shows ({@code LGR α-mix (α=0.2)}, {@code cRT [lgr: hidden_image]})
 * @param method        {@code lgr} or the recalibration method
 * @param backbone      {@code lgr} or {@code ce}
 * @param input         the stage input it was read from
 * @param val           N_val×C scores
 * @param test          N_test×C scores
 * @param probabilities whether the scores are probabilities (else logits: ECE applies a softmax)
 * @param details       extra facts for the report (chosen τ, features, recipe)
 */
public record ModelRow(String key, String name, String method, String backbone, String input, float[][] val,
        float[][] test, boolean probabilities, Map<String, String> details) {}
