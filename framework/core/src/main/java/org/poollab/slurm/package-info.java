/**
 * Slurm, the cluster scheduler a sweep's points can run on as one job array: the batch script, and {@code sbatch},
 * {@code squeue}, {@code scancel} and {@code sinfo} as the cluster's own commands (Slurm has no Java client; its
 * REST daemon is optional and rarely enabled).
 */
package org.poollab.slurm;
