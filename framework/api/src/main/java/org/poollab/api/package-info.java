/**
 * The PoolLab plugin API: what pooling and backbone plugins compile against ({@code provided} scope).
 * Extension points live in {@link org.poollab.api.pooling} and {@link org.poollab.api.backbone}; graph building
 * blocks with the numerics of the reference implementations (exact GELU, LayerNorm with epsilon; docs/dl4j.md) in
 * {@link org.poollab.api.graph}.
 */
package org.poollab.api;
