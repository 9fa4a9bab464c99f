/** {@code poollab report}: an experiment's runs from MLflow as an HTML and Markdown report with charts. */
package org.poollab.report;
