/** Content hashing through the host's libcrypto, for the image pulls' digest checks. */
package dev.kona.linux.crypto;
