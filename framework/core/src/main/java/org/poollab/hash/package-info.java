/** SHA-256 of files and bytes: checkpoint integrity, and the identity of plugin jars and model files. A leaf. */
package org.poollab.hash;
