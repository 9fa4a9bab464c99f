/** The {@code poollab} command line: run, validate, plugins, mlflow. */
package org.poollab.cli;
