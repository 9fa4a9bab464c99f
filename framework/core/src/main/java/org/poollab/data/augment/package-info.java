/** Multi-crop augmentation for self-supervised training: crops, resampling and photometric changes. */
package org.poollab.data.augment;
