package dev.vlltr.core.calibrate;

/**
 * When the per-epoch cosine scheduler is stepped relative to the epoch's updates.
 *
 * <p>The official {@code run_networks.py::train} calls {@code scheduler.step()} at the <b>start</b> of every epoch
 * (the pre-1.1 PyTorch convention), so 1-based epoch {@code e} of {@code T} trains with
 * {@code lr0 · (1 + cos(π e / T)) / 2} and the last epoch with lr 0 (eta_min). PyTorch's current convention steps
 * after the epoch: epoch {@code e} uses {@code lr0 · (1 + cos(π (e-1) / T)) / 2}, starting at lr0.
 */
public enum SchedulerStepOrder {
    /** Step before the epoch's updates (official Decoupling code; default). */
    BEFORE_EPOCH,
    /** Step after the epoch's updates (current PyTorch convention). */
    AFTER_EPOCH
}
