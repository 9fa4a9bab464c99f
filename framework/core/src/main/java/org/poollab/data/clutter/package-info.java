/**
 * {@code fashion-clutter}: a colour benchmark with exact object masks, generated from Fashion-MNIST, where the
 * attention-map quality of a pooling can be measured (docs/method.md §7).
 */
package org.poollab.data.clutter;
