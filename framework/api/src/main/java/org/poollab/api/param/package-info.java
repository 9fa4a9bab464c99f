/** Typed, validated plugin parameters: specs with defaults and ranges, and resolved immutable values. */
package org.poollab.api.param;
