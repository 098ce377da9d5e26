package org.castellan.agent.macos.parse;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads an XML property list into plain Java values (dict → Map, array → List, string/date/data →
 * String, integer → Long, real → Double, true/false → Boolean).
 *
 * <p>Hardened against XXE: Apple's own {@code <!DOCTYPE plist ...>} line is removed textually and
 * then any DOCTYPE is refused, so no entity can be declared and no DTD is ever fetched.
 */
public final class PlistReader {
    private static final Pattern APPLE_DOCTYPE = Pattern.compile(
            "<!DOCTYPE\\s+plist\\s+PUBLIC\\s+\"-//Apple//DTD PLIST 1\\.0//EN\"\\s+\"http://www\\.apple\\.com/DTDs/PropertyList-1\\.0\\.dtd\"\\s*>");

    private PlistReader() {}

    /** Parses a plist whose top-level object is a dict. */
    public static Map<String, Object> readDict(String xml) throws UnexpectedOutputException {
        Object root = read(xml);
        if (!(root instanceof Map<?, ?>)) {
            throw new UnexpectedOutputException("plist: top-level object is not a dict");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = (Map<String, Object>) root;
        return dict;
    }

    public static Object read(String xml) throws UnexpectedOutputException {
        Document document;
        try {
            DocumentBuilder builder = newBuilder();
            document = builder.parse(new InputSource(new StringReader(APPLE_DOCTYPE.matcher(xml.strip()).replaceFirst(""))));
        } catch (SAXException | IOException e) {
            throw new UnexpectedOutputException("plist is not well-formed: " + e.getMessage(), e);
        }
        Element plist = document.getDocumentElement();
        if (!plist.getTagName().equals("plist")) {
            throw new UnexpectedOutputException("plist: root element is <" + plist.getTagName() + ">");
        }
        List<Element> children = elements(plist);
        if (children.size() != 1) {
            throw new UnexpectedOutputException("plist: expected one top-level object, found " + children.size());
        }
        return value(children.get(0));
    }

    static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // Silence the default handler, which prints parse errors to stderr.
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
        }
    }

    private static Object value(Element element) throws UnexpectedOutputException {
        String text = element.getTextContent();
        switch (element.getTagName()) {
            case "dict":
                return dict(element);
            case "array": {
                List<Object> list = new ArrayList<>();
                for (Element child : elements(element)) {
                    list.add(value(child));
                }
                return list;
            }
            case "string":
            case "date":
                return text;
            case "data":
                return text.replaceAll("\\s", "");
            case "integer":
                try {
                    return Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    throw new UnexpectedOutputException("plist: bad <integer> " + UnexpectedOutputException.excerpt(text), e);
                }
            case "real":
                try {
                    return Double.parseDouble(text.strip());
                } catch (NumberFormatException e) {
                    throw new UnexpectedOutputException("plist: bad <real> " + UnexpectedOutputException.excerpt(text), e);
                }
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new UnexpectedOutputException("plist: unknown element <" + element.getTagName() + ">");
        }
    }

    private static Map<String, Object> dict(Element element) throws UnexpectedOutputException {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Element> children = elements(element);
        if (children.size() % 2 != 0) {
            throw new UnexpectedOutputException("plist: <dict> with a key but no value");
        }
        for (int i = 0; i < children.size(); i += 2) {
            Element key = children.get(i);
            if (!key.getTagName().equals("key")) {
                throw new UnexpectedOutputException("plist: expected <key> in <dict>, found <" + key.getTagName() + ">");
            }
            map.put(key.getTextContent(), value(children.get(i + 1)));
        }
        return map;
    }

    private static List<Element> elements(Element parent) {
        List<Element> list = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                list.add((Element) node);
            }
        }
        return list;
    }
}
