package dev.vlltr.core.train;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a trainer runs, from a stage's {@code device} parameter: {@code cpu}, {@code gpu} (the first GPU),
 * {@code gpu:N} (GPU N) or {@code gpus} (every GPU of the machine, data-parallel). Checked against the machine's GPU
 * count, which the caller passes in (this class asks nothing of the engine), so that a device that does not exist is
 * a clear error rather than a native crash.
 *
 * <p>A list of several devices means data-parallel training: {@link EpochTrainer} splits each batch into one shard per
 * device, runs the forward pass of each shard on its device and gathers the outputs on the first device, where the loss
 * is computed over the global batch. {@link #simulated(int)} repeats the CPU {@code k} times: the same code path with
 * {@code k} shards on one device (what the tests use to check that sharding does not change the loss or gradients).
 *
 * @param spec the parameter's value
 * @param devices one entry per shard, the first one holding the loss
 */
public record TrainingDevices(String spec, List<Device> devices) {

    /** The {@code --help} text of the stages' {@code device} parameter. */
    public static final String HELP = "Where to train: cpu, gpu (GPU 0), gpu:N (GPU N) or gpus (every GPU of the"
            + " machine, data-parallel: the batch is split over the GPUs and the loss computed over the whole batch);"
            + " a GPU that does not exist is an error (the Airflow DAG sets gpu or gpus from the stage's gpu count)";

    /**
     * @param spec the parameter's value
     * @param gpuCount GPUs the engine sees
     * @param parameter the parameter's name, for the message
     * @return the devices
     * @throws IllegalArgumentException starting with {@code parameter '<parameter>': } when the value is invalid
     */
    public static TrainingDevices parseParameter(String spec, int gpuCount, String parameter) {
        try {
            return parse(spec, gpuCount);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + e.getMessage(), e);
        }
    }

    public TrainingDevices {
        devices = List.copyOf(devices);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("at least one device is required");
        }
    }

    /** @return the CPU alone (the default) */
    public static TrainingDevices cpu() {
        return new TrainingDevices("cpu", List.of(Device.cpu()));
    }

    /**
     * @param shards number of shards, all on the CPU
     * @return {@code shards} copies of the CPU: data-parallel code path without GPUs
     */
    public static TrainingDevices simulated(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be ≥ 1, got " + shards);
        }
        return new TrainingDevices("cpu x" + shards, Collections.nCopies(shards, Device.cpu()));
    }

    /**
     * @param spec {@code cpu}, {@code gpu}, {@code gpu:N} or {@code gpus}
     * @param gpuCount GPUs the engine sees on this machine ({@code Engine.getInstance().getGpuCount()})
     * @return the devices
     * @throws IllegalArgumentException naming what was expected when the value is malformed or the device does not
     *     exist here
     */
    public static TrainingDevices parse(String spec, int gpuCount) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("cpu")) {
            return cpu();
        }
        if (s.equals("gpu") || s.equals("gpus")) {
            if (gpuCount < 1) {
                throw new IllegalArgumentException("expected a GPU but this machine has none that PyTorch can use"
                        + " (CUDA libtorch and a visible NVIDIA device); use cpu, got '" + s + "'");
            }
            if (s.equals("gpu")) {
                return new TrainingDevices(s, List.of(Device.gpu(0)));
            }
            List<Device> all = new ArrayList<>();
            for (int i = 0; i < gpuCount; i++) {
                all.add(Device.gpu(i));
            }
            return new TrainingDevices(s, all);
        }
        if (s.startsWith("gpu:")) {
            if (gpuCount < 1) {
                throw new IllegalArgumentException("expected a GPU but this machine has none that PyTorch can use"
                        + " (CUDA libtorch and a visible NVIDIA device); use cpu, got '" + s + "'");
            }
            int n;
            try {
                n = Integer.parseInt(s.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected gpu:N with N a GPU index, got '" + s + "'");
            }
            if (n < 0 || n >= gpuCount) {
                throw new IllegalArgumentException("expected a GPU index in 0.." + (gpuCount - 1) + " (this machine has "
                        + gpuCount + " GPU" + (gpuCount == 1 ? "" : "s") + "), got '" + s + "'");
            }
            return new TrainingDevices(s, List.of(Device.gpu(n)));
        }
        throw new IllegalArgumentException("expected cpu, gpu, gpu:N or gpus, got '" + s + "'");
    }

    /** @return the device holding the loss (and the model's first copy) */
    public Device primary() {
        return devices.get(0);
    }

    /** @return how many shards a batch is split into */
    public int shards() {
        return devices.size();
    }

    /** @return the distinct devices, in order (what DJL's trainer gets) */
    public Device[] distinct() {
        return devices.stream().distinct().toArray(Device[]::new);
    }
}
