package dev.kona.oci.spec;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * {@code process.rlimits[]}: {@code type} is an {@code RLIMIT_*} name. {@code hard} and {@code soft}
 * are uint64; -1 stands for RLIM_INFINITY (2^64-1 on the wire).
 */
public record Rlimit(
    String type,
    @JsonSerialize(using = UnsignedLong.Serializer.class)
        @JsonDeserialize(using = UnsignedLong.Deserializer.class)
        long hard,
    @JsonSerialize(using = UnsignedLong.Serializer.class)
        @JsonDeserialize(using = UnsignedLong.Deserializer.class)
        long soft) {}
