/** Data sets (Fashion-MNIST IDX), preprocessing and augmentation, and background batch preparation. */
package org.poollab.data;
