# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generate the plugin reference in docs/reference/ from the plugins' own documentation.

Every module, lookup, inventory plugin and role of the collection gets one Markdown page, rendered from what ``ansible-doc
--json`` reads out of DOCUMENTATION / EXAMPLES / RETURN (and the roles' argument specs), plus an index.
The pages are committed so they can be read where the repository is browsed; a unit test fails when they
drift from the plugins.

Usage (with ansible-doc on PATH and the collection importable, e.g. after ``source scripts/lib.sh; activate``):
    python scripts/plugin_docs.py           # rewrite docs/reference/
    python scripts/plugin_docs.py --check   # exit 1 when docs/reference/ is not up to date
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "reference"
COLLECTION = "apiops.platforms"

_MARKUP = [
    (re.compile(r"O\(([^)=]+)=([^)]*)\)"), r"`\1=\2`"),
    (re.compile(r"[OVCRPE]\(([^)]*)\)"), r"`\1`"),
    (re.compile(r"RV\(([^)]*)\)"), r"`\1`"),
    (re.compile(r"M\(([^)]*)\)"), lambda m: _module_link(m.group(1))),
    (re.compile(r"L\(([^,]*),\s*([^)]*)\)"), r"[\1](\2)"),
    (re.compile(r"U\(([^)]*)\)"), r"<\1>"),
    (re.compile(r"I\(([^)]*)\)"), r"*\1*"),
    (re.compile(r"B\(([^)]*)\)"), r"**\1**"),
]


def _module_link(name):
    if name.startswith(COLLECTION + "."):
        short = name[len(COLLECTION) + 1:]
        return "[%s](%s.md)" % (name, short)
    return "`%s`" % name


def markup(text):
    """Ansible's documentation markup to Markdown."""
    text = str(text)
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return text


def paragraphs(value):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [markup(v) for v in value]


def cell(value):
    return " ".join(paragraphs(value)).replace("|", "\\|").replace("\n", " ")


def inline(value):
    return "`%s`" % (value if isinstance(value, str) and value else json.dumps(value))


def option_rows(options, depth=0):
    rows = []
    for name in sorted(options):
        spec = options[name]
        kind = spec.get("type", "str")
        if kind == "list" and spec.get("elements"):
            kind = "list / elements=%s" % spec["elements"]
        facts = []
        if spec.get("required"):
            facts.append("**required**")
        if "default" in spec and spec["default"] is not None:
            facts.append("default: %s" % inline(spec["default"]))
        if spec.get("choices"):
            facts.append("choices: %s" % ", ".join(inline(c) for c in spec["choices"]))
        if spec.get("aliases"):
            facts.append("aliases: %s" % ", ".join(spec["aliases"]))
        env = [e["name"] for e in spec.get("env", []) if isinstance(e, dict) and "name" in e]
        if env:
            facts.append("env: %s" % ", ".join("`%s`" % e for e in env))
        description = cell(spec.get("description"))
        if facts:
            description += "<br>" + "; ".join(facts)
        rows.append("| %s`%s` | %s | %s |" % ("&nbsp;&nbsp;" * depth * 2 + ("↳ " if depth else ""), name, kind, description))
        for sub in ("suboptions", "options"):
            if isinstance(spec.get(sub), dict):
                rows.extend(option_rows(spec[sub], depth + 1))
    return rows


def return_rows(values, depth=0):
    rows = []
    for name in sorted(values or {}):
        spec = values[name]
        indent = "&nbsp;&nbsp;" * depth * 2 + ("↳ " if depth else "")
        rows.append("| %s`%s` | %s | %s | %s |"
                    % (indent, name, spec.get("type", ""), cell(spec.get("returned", "")), cell(spec.get("description"))))
        if isinstance(spec.get("contains"), dict):
            rows.extend(return_rows(spec["contains"], depth + 1))
    return rows


def attribute_rows(attributes):
    rows = []
    for name in sorted(attributes or {}):
        spec = attributes[name]
        rows.append("| `%s` | %s | %s |" % (name, spec.get("support", ""), cell(spec.get("description"))))
    return rows


def plugin_page(kind, name, data):
    doc = data["doc"]
    lines = ["# %s.%s — %s" % (COLLECTION, name, markup(doc.get("short_description", ""))), ""]
    lines.append("*%s* of the `%s` collection, since version %s. Generated from the plugin's documentation by "
                 "`scripts/plugin_docs.py`; see also `ansible-doc -t %s %s.%s`."
                 % (kind, COLLECTION, doc.get("version_added", "?"), kind, COLLECTION, name))
    lines.append("")
    lines.append("## Synopsis")
    lines.append("")
    lines.extend("- %s" % p for p in paragraphs(doc.get("description")))
    if doc.get("requirements"):
        lines += ["", "## Requirements", ""]
        lines.extend("- %s" % p for p in paragraphs(doc["requirements"]))
    if doc.get("options"):
        lines += ["", "## Parameters", "", "| Parameter | Type | Comments |", "|---|---|---|"]
        lines.extend(option_rows(doc["options"]))
    if doc.get("attributes"):
        lines += ["", "## Attributes", "", "| Attribute | Support | Description |", "|---|---|---|"]
        lines.extend(attribute_rows(doc["attributes"]))
    if doc.get("notes"):
        lines += ["", "## Notes", ""]
        lines.extend("- %s" % p for p in paragraphs(doc["notes"]))
    if data.get("examples"):
        lines += ["", "## Examples", "", "```yaml", data["examples"].strip("\n"), "```"]
    returns = data.get("return")
    if returns:
        title = "Return values" if kind == "module" else "Returned"
        lines += ["", "## %s" % title, "", "| Key | Type | Returned | Description |", "|---|---|---|---|"]
        lines.extend(return_rows(returns))
    if doc.get("author"):
        lines += ["", "## Authors", ""]
        lines.extend("- %s" % a for a in paragraphs(doc["author"]))
    return "\n".join(lines) + "\n"


def role_page(name, data):
    lines = ["# %s.%s — role" % (COLLECTION, name), ""]
    lines.append("Role of the `%s` collection. Generated from its argument specs by `scripts/plugin_docs.py`; "
                 "see also `ansible-doc -t role %s.%s`." % (COLLECTION, COLLECTION, name))
    for entry, spec in sorted(data.get("entry_points", {}).items()):
        lines += ["", "## Entry point `%s` — %s" % (entry, markup(spec.get("short_description", ""))), ""]
        lines.extend("- %s" % p for p in paragraphs(spec.get("description")))
        if spec.get("options"):
            lines += ["", "| Variable | Type | Comments |", "|---|---|---|"]
            lines.extend(option_rows(spec["options"]))
    return "\n".join(lines) + "\n"


def ansible_doc(kind, names):
    cmd = ["ansible-doc", "--json", "-t", kind] + ["%s.%s" % (COLLECTION, n) for n in names]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        sys.exit("ansible-doc failed:\n%s" % proc.stderr)
    return json.loads(proc.stdout)


def render():
    """``{relative file name: text}`` for every page of the reference."""
    pages = {}
    index = ["# Plugin reference", "",
             "Generated from the plugins' own documentation by `scripts/plugin_docs.py` (a unit test fails on drift).", ""]
    for kind, folder, title in (("module", "modules", "Modules"), ("lookup", "lookup", "Lookups"),
                                ("inventory", "inventory", "Inventory plugins")):
        names = sorted(p.stem for p in (ROOT / "plugins" / folder).glob("*.py") if p.stem != "__init__")
        if not names:
            continue
        docs = ansible_doc(kind, names)
        index += ["## %s" % title, "", "| Name | Description |", "|---|---|"]
        for name in names:
            data = docs["%s.%s" % (COLLECTION, name)]
            pages["%s.md" % name] = plugin_page(kind, name, data)
            index.append("| [%s.%s](%s.md) | %s |" % (COLLECTION, name, name, cell(data["doc"].get("short_description"))))
        index.append("")
    roles = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "meta" / "argument_specs.yml").exists())
    if roles:
        docs = ansible_doc("role", roles)
        index += ["## Roles", "", "| Name | Description |", "|---|---|"]
        for name in roles:
            data = docs["%s.%s" % (COLLECTION, name)]
            pages["%s.md" % name] = role_page(name, data)
            main = data.get("entry_points", {}).get("main", {})
            index.append("| [%s.%s](%s.md) | %s |" % (COLLECTION, name, name, cell(main.get("short_description"))))
        index.append("")
    pages["README.md"] = "\n".join(index)
    return pages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/reference/ is not up to date")
    args = parser.parse_args()
    pages = render()
    present = dict((p.name, p.read_text()) for p in OUT.glob("*.md")) if OUT.exists() else {}
    if args.check:
        stale = sorted(set(n for n in pages if present.get(n) != pages[n]) | (set(present) - set(pages)))
        if stale:
            print("docs/reference/ is out of date (%s): run python scripts/plugin_docs.py" % ", ".join(stale))
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name in set(present) - set(pages):
        (OUT / name).unlink()
    for name, text in pages.items():
        (OUT / name).write_text(text)
    print("wrote %d pages to %s" % (len(pages), OUT.relative_to(ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
