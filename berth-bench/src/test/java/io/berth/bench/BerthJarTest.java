package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class BerthJarTest {
  @Test
  void aLoggingSetUpTurnsOnJustTheLoggersNamed() throws Exception {
    String xml = BerthJar.logback("io.berth.manager.docker.Creator", "io.berth.manager.fleet.NodeLink");
    NodeList loggers = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getElementsByTagName("logger");
    int debug = 0;
    for (int i = 0; i < loggers.getLength(); i++) {
      Element e = (Element) loggers.item(i);
      if (e.getAttribute("level").equals("DEBUG")) {
        debug++;
        assertEquals(true, e.getAttribute("name").startsWith("io.berth.manager."), e.getAttribute("name"));
      }
    }
    assertEquals(2, debug);
  }
}
