/**
 * Building a model's SameDiff graph: scopes with seeded, shareable parameters, random per-step inputs, and layers
 * with the numerics SPEC requires.
 */
package org.poollab.api.graph;
