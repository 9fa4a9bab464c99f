/** Running experiments end to end and the project's folders. */
package org.poollab.run;
