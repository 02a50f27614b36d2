"""`css_string`: text made safe inside a double-quoted CSS string (the PDF's running footer names the report).

CSS has its own escapes (a backslash, hex digits, a space); JavaScript's would print as "u0026" and friends.
Every character that could end the string, the rule or the style element is written as its code point.
"""

from __future__ import annotations

from django import template

register = template.Library()

_ESCAPED = set("\"\\<>&'") | {chr(c) for c in range(0x20)} | {"\x7f"}


@register.filter
def css_string(value: object) -> str:
    return "".join(f"\\{ord(ch):x} " if ch in _ESCAPED else ch for ch in str(value))
