/** The backbone extension point: images {@code [B, C, H, W]} to tokens {@code [B, N, d]} and their grid. */
package org.poollab.api.backbone;
