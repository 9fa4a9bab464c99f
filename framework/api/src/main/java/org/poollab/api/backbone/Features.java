package org.poollab.api.backbone;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A backbone's output, the input of every pooling.
 *
 * @param tokens patch tokens or the flattened CNN map, {@code [B, N, d]} (prefix tokens excluded)
 * @param dim d
 * @param grid the layout of the N tokens
 * @param prefix the prefix tokens a pooling asked for, by name
 * @param finalNorm the backbone's last normalisation, applied by the model to the pooled vector
 *                  ({@code [B, d] -> [B, d]}; identity for CNNs; docs/method.md §3 "ViT integration")
 */
public record Features(SDVariable tokens, int dim, Grid grid, Map<String, PrefixOutput> prefix,
                       UnaryOperator<SDVariable> finalNorm) {

    /** Copies the prefix map. */
    public Features {
        prefix = Map.copyOf(prefix);
    }

    /** The prefix output with this name, or a clear error if the backbone did not produce it. */
    public PrefixOutput prefix(String name) {
        PrefixOutput output = prefix.get(name);
        if (output == null) {
            throw new IllegalStateException("the backbone produced no prefix token '" + name + "'");
        }
        return output;
    }
}
