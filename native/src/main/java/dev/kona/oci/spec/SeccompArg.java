package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A comparison on syscall argument {@code index}: {@code op} is {@code SCMP_CMP_*}; {@code valueTwo}
 * is the mask's operand for {@code SCMP_CMP_MASKED_EQ}. Values are uint64 (see {@link Rlimit}).
 */
public record SeccompArg(
    int index,
    @JsonSerialize(using = UnsignedLong.Serializer.class)
        @JsonDeserialize(using = UnsignedLong.Deserializer.class)
        long value,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonSerialize(using = UnsignedLong.Serializer.class)
        @JsonDeserialize(using = UnsignedLong.Deserializer.class)
        long valueTwo,
    String op) {}
