/**
 * Building a model's SameDiff graph: scopes with seeded, shareable parameters, random per-step inputs, and layers
 * with the numerics of the reference implementations (docs/dl4j.md).
 */
package org.poollab.api.graph;
