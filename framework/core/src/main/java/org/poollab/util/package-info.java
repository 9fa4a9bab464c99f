/**
 * Small helpers that every other package may use and that use none of them: the console progress line, per-step
 * schedules computed up front, and SHA-256 hashes of files and bytes. Keeping them here keeps the packages free of
 * cycles.
 */
package org.poollab.util;
