/** Benchmarks that print numbers: training and inference throughput, peak memory. */
package org.poollab.bench;
