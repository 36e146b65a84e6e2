package org.clipmsm.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literal subset that .npy headers use, which NumPy reads with {@code ast.literal_eval}: a dict
 * of string keys to strings, integers, {@code True}/{@code False}/{@code None}, tuples, lists and dicts.
 *
 * <p>Values come out as {@link String}, {@link Long}, {@link Boolean}, {@code null}, {@link List} (tuples and lists
 * alike; a parenthesized single value without a comma is the value itself, as in Python) and {@link Map}. Integers
 * may carry the {@code L} suffix that Python 2 era NumPy wrote into shapes.
 */
final class PyLiteralParser {
  /** A parsed dict with the source text of each top-level value, kept for error messages. */
  record Dict(Map<String, Object> values, Map<String, String> sources) {}

  private final String text;
  private int pos;

  private PyLiteralParser(String text) {
    this.text = text;
  }

  /**
   * Parses {@code text}, which must hold one dict literal and nothing else but whitespace.
   *
   * @throws IllegalArgumentException naming what was expected and the character offset where it was not found
   */
  static Dict parseDict(String text) {
    PyLiteralParser p = new PyLiteralParser(text);
    p.skipSpace();
    p.expect('{');
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    p.skipSpace();
    while (!p.tryConsume('}')) {
      Object key = p.value();
      if (!(key instanceof String)) {
        throw p.error("a string key");
      }
      p.skipSpace();
      p.expect(':');
      p.skipSpace();
      int start = p.pos;
      Object value = p.value();
      values.put((String) key, value);
      sources.put((String) key, text.substring(start, p.pos));
      p.skipSpace();
      if (!p.tryConsume(',')) {
        p.expect('}');
        break;
      }
      p.skipSpace();
    }
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("the end of the header after the dict");
    }
    return new Dict(Collections.unmodifiableMap(values), Collections.unmodifiableMap(sources));
  }

  private Object value() {
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '\'':
      case '"':
        return string(c);
      case '(':
        return sequence(')', true);
      case '[':
        return sequence(']', false);
      case '{':
        return nestedDict();
      default:
        if (c == '-' || c == '+' || Character.isDigit(c)) {
          return integer();
        }
        if (tryWord("True")) {
          return Boolean.TRUE;
        }
        if (tryWord("False")) {
          return Boolean.FALSE;
        }
        if (tryWord("None")) {
          return null;
        }
        throw error("a string, integer, True, False, None, tuple, list or dict");
    }
  }

  private String string(char quote) {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
      } else {
        sb.append(c);
      }
    }
    throw error("a closing " + quote);
  }

  private Long integer() {
    int start = pos;
    if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
      pos++;
    }
    int digits = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == digits) {
      throw error("a digit");
    }
    String number = text.substring(start, pos);
    if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
      pos++;
    }
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("an integer that fits in 64 bits");
    }
  }

  /** A tuple or list; for a tuple, "(x)" without a comma is just x, as in Python. */
  private Object sequence(char close, boolean tuple) {
    pos++;
    List<Object> items = new ArrayList<>();
    boolean sawComma = false;
    skipSpace();
    while (!tryConsume(close)) {
      items.add(value());
      skipSpace();
      if (tryConsume(',')) {
        sawComma = true;
        skipSpace();
      } else {
        expect(close);
        break;
      }
    }
    if (tuple && items.size() == 1 && !sawComma) {
      return items.get(0);
    }
    return Collections.unmodifiableList(items);
  }

  private Map<String, Object> nestedDict() {
    int start = pos;
    int depth = 0;
    // Only top-level values are used, so a nested dict is skipped by matching braces outside strings.
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\'' || c == '"') {
        string(c);
        continue;
      }
      pos++;
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return parseDict(text.substring(start, pos)).values();
      }
    }
    throw error("a closing }");
  }

  private boolean tryWord(String word) {
    if (text.startsWith(word, pos)) {
      int end = pos + word.length();
      if (end == text.length() || !Character.isLetterOrDigit(text.charAt(end))) {
        pos = end;
        return true;
      }
    }
    return false;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean tryConsume(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!tryConsume(c)) {
      throw error("'" + c + "'");
    }
  }

  private IllegalArgumentException error(String expected) {
    String found = "the end";
    if (pos < text.length()) {
      char c = text.charAt(pos);
      // Messages are one line: show control characters such as a newline as an escape.
      found = Character.isISOControl(c) ? String.format("'\\u%04x'", (int) c) : "'" + c + "'";
    }
    return new IllegalArgumentException("expected " + expected + " at offset " + pos + ", found " + found);
  }
}
