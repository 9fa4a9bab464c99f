/** MoCo v3 (Chen, Xie and He, ICCV 2021): the base and momentum encoders, their MLPs, the loss, the trainer. */
package org.poollab.train.mocov3;
