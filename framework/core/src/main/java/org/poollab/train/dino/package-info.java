/** DINO self-distillation (SPEC §6): multi-crop student, EMA teacher, centred and sharpened targets. */
package org.poollab.train.dino;
