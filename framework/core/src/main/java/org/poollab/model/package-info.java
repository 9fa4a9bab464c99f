/** Assembling backbone and pooling plugins into one SameDiff model graph. */
package org.poollab.model;
