"""The shape of geo/ as the README describes it: layers that import only the layers above them,
no module reaching into another's private names, no Streamlit in the library, and a README
table that lists every module there is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEO = REPO / "geo"

# Each layer and the layers it may import (itself included). Modules at the top of geo/ other
# than model and settings are entry points (the command line), free to import any layer.
ALLOWED = {
    "model": {"model"},
    "settings": {"settings"},
    "gazetteer": {"model", "settings", "gazetteer"},
    "text": {"model", "settings", "gazetteer", "text"},
    "store": {"model", "settings", "gazetteer", "text", "store"},
    "web": {"model", "settings", "gazetteer", "text", "store", "web"},
}


def modules() -> list[Path]:
    return sorted(GEO.rglob("*.py"))


def dotted(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(name: str) -> str:
    """'geo.text.events' -> 'text'; 'geo.model' -> 'model'; 'geo' -> ''."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(absolute module, imported names, line) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = dotted(path) if path.name == "__init__.py" else dotted(path).rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [a.name for a in node.names]
            out.append((base, names, node.lineno))
            # `from geo.web import assets` imports the module geo.web.assets
            out += [(f"{base}.{n}", [], node.lineno) for n in names if (GEO.parent / f"{base}.{n}".replace(".", "/")).with_suffix(".py").exists()]
    return out


def test_layers_import_only_the_layers_above_them():
    wrong = []
    for path in modules():
        here = layer(dotted(path))
        if here not in ALLOWED:
            continue  # geo/__init__, __main__ and train: entry points
        for module, _, line in imports(path):
            if module == "geo" or not module.startswith("geo."):
                continue
            there = layer(module)
            if there not in ALLOWED[here]:
                wrong.append(f"{path.relative_to(REPO)}:{line} imports {module} ({here} may not import {there})")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_another_modules_private_name():
    wrong = []
    for path in modules():
        for module, names, line in imports(path):
            if module.startswith("geo") and module != dotted(path):
                wrong += [f"{path.relative_to(REPO)}:{line} imports {module}.{n}" for n in names if n.startswith("_") and not n.startswith("__")]
    assert not wrong, "\n".join(wrong)


def test_the_library_never_imports_streamlit():
    wrong = [
        f"{p.relative_to(REPO)}:{line}"
        for p in modules()
        for module, _, line in imports(p)
        if module == "streamlit" or module.startswith("streamlit.")
    ]
    assert not wrong, wrong


def test_every_package_says_what_it_holds_and_may_import():
    for init in GEO.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"{init.relative_to(REPO)}: its docstring says what the package may import"


def test_the_readme_lists_every_module_of_the_tree():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it works", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(geo/[\w/]+\.py)` \|", section, flags=re.M))
    packages = set(re.findall(r"^\| \*\*`(geo/\w+/)`\*\* \|", section, flags=re.M))
    tree = {str(p.relative_to(REPO)) for p in modules() if p.name != "__init__.py"}
    assert listed == tree, f"in the tree, not the README: {sorted(tree - listed)}; in the README, not the tree: {sorted(listed - tree)}"
    assert packages == {f"geo/{p.parent.name}/" for p in GEO.glob("*/__init__.py")}
