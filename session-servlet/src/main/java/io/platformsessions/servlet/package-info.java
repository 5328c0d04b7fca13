/** Platform Sessions servlet module (being built). */
package io.platformsessions.servlet;
