/** Evaluation: feature extraction in eval mode and the weighted k-NN protocol of DINO. */
package org.poollab.eval;
