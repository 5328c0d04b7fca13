/** Platform Sessions examples module (being built). */
package io.platformsessions.examples;
