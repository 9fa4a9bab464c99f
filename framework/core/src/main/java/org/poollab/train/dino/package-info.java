/** DINO self-distillation (docs/method.md §6): multi-crop student, EMA teacher, centred and sharpened targets. */
package org.poollab.train.dino;
