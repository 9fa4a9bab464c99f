/** The pooling extension point and the three-step template of the generic pooling framework (docs/method.md §2). */
package org.poollab.api.pooling;
