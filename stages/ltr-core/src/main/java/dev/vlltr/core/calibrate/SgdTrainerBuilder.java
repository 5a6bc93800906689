package dev.vlltr.core.calibrate;

import ai.djl.Device;

/**
 * The options every SGD-trained re-balancing method shares (cRT, the joint baseline, LWS): the batches, the
 * schedule, the optional validation split for best-epoch selection, the BatchNorm policy to record and the device.
 *
 * @param <B> the concrete builder, for fluent chaining
 */
public abstract class SgdTrainerBuilder<B extends SgdTrainerBuilder<B>> {

    private final String owner;
    BatchIndexSource batches;
    SgdSchedule schedule;
    LabeledFeatures validation;
    BnPolicy bnPolicy = BnPolicy.defaultPolicy();
    Device device = Device.cpu();

    SgdTrainerBuilder(String owner, SgdSchedule defaultSchedule) {
        this.owner = owner;
        this.schedule = defaultSchedule;
    }

    protected abstract B self();

    /** Mini-batches per epoch: class-aware for cRT and LWS, instance-balanced for the joint baseline. Required. */
    public B setBatchSource(BatchIndexSource batches) {
        this.batches = batches;
        return self();
    }

    /** Optimiser and schedule (the method's official preset by default). */
    public B optSchedule(SgdSchedule schedule) {
        this.schedule = require(schedule, "schedule");
        return self();
    }

    /** Validation split for best-epoch selection (official behaviour); default none (last epoch). */
    public B optValidation(LabeledFeatures validation) {
        this.validation = validation;
        return self();
    }

    /** BatchNorm policy to record; default {@link BnPolicy#REESTIMATE} (see {@link BnPolicy}). */
    public B optBnPolicy(BnPolicy policy) {
        this.bnPolicy = require(policy, "bnPolicy");
        return self();
    }

    /** Device for the autograd computation; default CPU. */
    public B optDevice(Device device) {
        this.device = require(device, "device");
        return self();
    }

    /** Checks the required options before {@code build()}. */
    void checkRequired() {
        if (batches == null) {
            throw new IllegalArgumentException(owner + ": setBatchSource(...) is required");
        }
    }

    private <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(owner + ": " + name + " must not be null");
        }
        return value;
    }
}
