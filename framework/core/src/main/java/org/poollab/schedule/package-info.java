/** Values per optimiser step (learning rate, weight decay, momentum, temperature), computed up front. A leaf. */
package org.poollab.schedule;
