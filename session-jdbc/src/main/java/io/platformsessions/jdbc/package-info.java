/** Platform Sessions jdbc module (being built). */
package io.platformsessions.jdbc;
