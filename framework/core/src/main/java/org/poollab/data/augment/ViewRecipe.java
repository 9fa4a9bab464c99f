package org.poollab.data.augment;

/**
 * How one multi-crop view is made.
 *
 * @param size output side in pixels
 * @param minScale smallest crop area as a fraction of the image
 * @param maxScale largest crop area
 * @param blurProbability probability of a Gaussian blur
 * @param solarizeProbability probability of solarisation
 */
record ViewRecipe(int size, double minScale, double maxScale, double blurProbability, double solarizeProbability) {
}
