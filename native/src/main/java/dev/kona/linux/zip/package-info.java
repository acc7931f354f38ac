/** Stream decompression through native libraries (ISA-L), for pulled image layers. */
package dev.kona.linux.zip;
