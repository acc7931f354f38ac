package dev.kona.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigInteger;

/**
 * The spec's uint64 fields (rlimits, seccomp argument values) reach 2^64-1, which a Java long
 * holds only as its two's-complement bit pattern. These read and write that pattern as an
 * unsigned decimal, so {@code RLIM_INFINITY} survives a round trip as {@code -1L}.
 */
final class UnsignedLong {
  private UnsignedLong() {}

  static final class Deserializer extends StdDeserializer<Long> {
    private static final long serialVersionUID = 1L;

    Deserializer() {
      super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return p.getBigIntegerValue().longValue();
    }

    // An absent uint64 (valueTwo) is 0, as in the spec's Go types, never null.
    @Override
    public Long getNullValue(DeserializationContext ctxt) {
      return 0L;
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return 0L;
    }
  }

  static final class Serializer extends StdSerializer<Long> {
    private static final long serialVersionUID = 1L;

    Serializer() {
      super(Long.class);
    }

    @Override
    public void serialize(Long value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeNumber(new BigInteger(Long.toUnsignedString(value)));
    }
  }
}
