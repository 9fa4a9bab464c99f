/** MLflow tracking: a project-local server, runs with params, metrics and artifacts over REST. */
package org.poollab.tracking;
