package org.poollab.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PoolLab's weight names in the layout of the reference code. DINO's ViT, the SimPool authors' ViT and ResNet, timm's
 * ViT and ResNet and torchvision's ResNet agree on the backbone names, so one mapping serves them all:
 * {@code backbone/blocks.0/attn/qkv/W} is {@code blocks.0.attn.qkv.weight}, {@code backbone/layer1.0/conv1/W} is
 * {@code layer1.0.conv1.weight}, a LayerNorm's or batch norm's {@code gain} is its {@code weight}. A pooling's
 * weights sit under its module name ({@code simpool.} for SimPool, the plugin id for others), with SimPool's own
 * names ({@code norm_patches}, {@code wq}, {@code wk}) as the authors' {@code sp.py} has them.
 */
final class WeightNames {

    /** PoolLab's prefix-token scope, {@code backbone/prefix.<name>}. */
    static final String PREFIX_TOKEN = "prefix.";
    /** The ViT's positional embedding. */
    static final String POSITIONS = "backbone/pos_embed";
    /** The ViT's patch projection weight. */
    static final String PATCH_WEIGHT = "backbone/patch_embed/W";

    /** Scope names that differ, per component: PoolLab's to the reference's. */
    private static final Map<String, Map<String, String>> SCOPES = Map.of(
            "backbone", Map.of("patch_embed", "patch_embed.proj", "downsample.conv", "downsample.0",
                    "downsample.bn", "downsample.1"),
            "simpool", Map.of("norm", "norm_patches", "Wq", "wq", "Wk", "wk"));
    /** Parameter leaf names: PoolLab's to PyTorch's. */
    private static final Map<String, String> LEAVES = Map.of("W", "weight", "b", "bias", "gain", "weight");

    private WeightNames() {
    }

    /**
     * The reference name of a PoolLab weight.
     *
     * @param poollab e.g. {@code backbone/blocks.3/mlp/fc1/W} or {@code pooling/Wq/W}
     * @param poolingId the pooling plugin's id (names its module)
     */
    static String external(String poollab, String poolingId) {
        String[] parts = poollab.split("/");
        String component = parts[0].equals("pooling") ? poolingId : parts[0];
        if (parts.length == 2 && parts[1].startsWith(PREFIX_TOKEN)) {
            return parts[1].substring(PREFIX_TOKEN.length()) + "_token"; // [CLS] -> cls_token
        }
        Map<String, String> scopes = SCOPES.getOrDefault(component, Map.of());
        List<String> out = new ArrayList<>();
        if (!component.equals("backbone")) {
            out.add(component);
        }
        for (int i = 1; i < parts.length; i++) {
            boolean leaf = i == parts.length - 1 && parts.length > 2;
            out.add(leaf ? LEAVES.getOrDefault(parts[i], parts[i]) : scopes.getOrDefault(parts[i], parts[i]));
        }
        return String.join(".", out);
    }

    /** Whether a PoolLab weight is a prefix token ({@code backbone/prefix.cls}). */
    static boolean isPrefixToken(String poollab) {
        return poollab.startsWith("backbone/" + PREFIX_TOKEN);
    }
}
