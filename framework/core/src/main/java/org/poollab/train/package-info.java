/** Trainers: supervised training with AdamW, schedules computed up front, progress reporting. */
package org.poollab.train;
