package dev.wsrv.release;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** A POM, or a part of one, read with XPath (the POM namespace is ignored). */
final class Pom {

    /** The repository's root: the test's working directory is release-check/. */
    static final Path ROOT = Path.of(System.getProperty("wsrv.root", "..")).toAbsolutePath().normalize();

    private final Node node;

    private Pom(Node node) {
        this.node = node;
    }

    static Pom read(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            return new Pom(f.newDocumentBuilder().parse(file.toFile()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The text of the first match, whitespace collapsed; {@code ""} when nothing matches. */
    String text(String xpath) {
        try {
            Node n = (Node) XPathFactory.newInstance().newXPath().evaluate(xpath, node, XPathConstants.NODE);
            return n == null ? "" : n.getTextContent().replaceAll("\\s+", " ").trim();
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(xpath, e);
        }
    }

    /** Every match. */
    List<Pom> all(String xpath) {
        try {
            NodeList list = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, node, XPathConstants.NODESET);
            List<Pom> all = new ArrayList<>();
            for (int i = 0; i < list.getLength(); i++) {
                all.add(new Pom(list.item(i)));
            }
            return all;
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(xpath, e);
        }
    }
}
