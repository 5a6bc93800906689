package dev.vlltr.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * The data-parallel forward pass: a batch split into one shard per device, each shard's forward pass on its device,
 * the per-sample outputs gathered (concatenated in batch order, with gradient flow) on the first device. The loss is
 * then computed over the <em>global</em> batch, as the official VL-LTR pre-training all-gathers image and text features
 * ({@code GatherLayer} in {@code models/pretrain.py}) before the contrastive logits, so every image's positives include
 * the texts of the other devices' samples.
 *
 * <p>The official backward keeps each rank's own slice of the gathered gradient times the world size and DDP averages
 * over ranks, which is the gradient of the global loss; here one backward through the gathered arrays reaches every
 * shard's forward pass directly, and DJL's parameter server sums the per-device parameter gradients: the same value.
 *
 * @param devices one device per shard (repeated devices: several shards on one device, e.g. {@link
 *     TrainingDevices#simulated})
 * @param perSample which outputs have one row per sample (gathered); the others (e.g. a learned scale) are taken from
 *     the first shard
 */
public record ShardedForward(TrainingDevices devices, IntPredicate perSample) {

    /**
     * @param inputs the batch, every array with the batch as its first dimension
     * @param forward one shard's forward pass (its arrays are on the shard's device)
     * @return the outputs over the whole batch, on the first device
     */
    public NDList apply(NDList inputs, UnaryOperator<NDList> forward) {
        int k = devices.shards();
        if (k == 1) {
            return forward.apply(inputs);
        }
        long batch = inputs.get(0).getShape().get(0);
        if (batch < k) {
            throw new IllegalArgumentException("a batch of " + batch + " cannot be split over " + k + " devices");
        }
        List<NDList> outputs = new ArrayList<>();
        long start = 0;
        for (int i = 0; i < k; i++) {
            // sizes as even as possible; the first batch % k shards take one more
            long end = start + batch / k + (i < batch % k ? 1 : 0);
            NDList shard = new NDList();
            for (NDArray in : inputs) {
                shard.add(in.get(new NDIndex(start + ":" + end)).toDevice(devices.devices().get(i), false));
            }
            outputs.add(forward.apply(shard));
            start = end;
        }
        NDList gathered = new NDList();
        for (int j = 0; j < outputs.get(0).size(); j++) {
            if (!perSample.test(j)) {
                gathered.add(outputs.get(0).get(j).toDevice(devices.primary(), false));
                continue;
            }
            NDList parts = new NDList();
            for (NDList out : outputs) {
                // a differentiable copy (torch Tensor.to): the gradient flows back to the shard's device
                parts.add(out.get(j).toDevice(devices.primary(), false));
            }
            gathered.add(NDArrays.concat(parts, 0));
        }
        return gathered;
    }
}
