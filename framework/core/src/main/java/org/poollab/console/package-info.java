/**
 * The console progress line of long phases (epochs, feature extraction). A leaf: the trainers and the evaluation
 * both print progress, and neither may depend on the other for it.
 */
package org.poollab.console;
