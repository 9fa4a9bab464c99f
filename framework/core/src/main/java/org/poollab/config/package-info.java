/** Experiment files: safe YAML loading, overrides, validation into immutable records with defaults. */
package org.poollab.config;
