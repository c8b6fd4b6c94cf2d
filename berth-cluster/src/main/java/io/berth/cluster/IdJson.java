package io.berth.cluster;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import java.io.IOException;
import java.util.function.Function;

/**
 * Core's typed ids on the wire and in the store: each is its raw string, so the JSON is what it was
 * when the fields were strings. A value is read as a {@code String} first, so a wrong-typed value
 * fails as it did then ("expected a string"), and a JSON {@code null} stays null for the
 * validator to name.
 */
public final class IdJson {
  private IdJson() {}

  public static SimpleModule module() {
    SimpleModule m = new SimpleModule("berth-ids");
    add(m, NodeName.class, NodeName::of);
    add(m, ProcessGuid.class, ProcessGuid::new);
    add(m, TaskGuid.class, TaskGuid::new);
    add(m, InstanceGuid.class, InstanceGuid::of);
    add(m, Domain.class, Domain::new);
    return m;
  }

  private static <T> void add(SimpleModule m, Class<T> type, Function<String, T> of) {
    m.addSerializer(type, ToStringSerializer.instance);
    m.addDeserializer(type, new JsonDeserializer<T>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String raw = ctxt.readValue(p, String.class);
        return raw == null ? null : of.apply(raw);
      }
    });
    m.addKeyDeserializer(type, new KeyDeserializer() {
      @Override
      public Object deserializeKey(String key, DeserializationContext ctxt) {
        return of.apply(key);
      }
    });
  }
}
