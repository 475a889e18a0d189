"""The TrueType font the PDF is set in: one that has Cyrillic, found on the machine.

PDF's built-in fonts (Helvetica and the like) have no Cyrillic, so the PDF embeds a
TrueType font. DejaVu Sans comes with Debian's `fonts-dejavu-core`, which the machines
of this project have (and .ci/run installs); Liberation Sans and matplotlib's copy of
DejaVu are the fallbacks for other systems.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path


class FontMissing(RuntimeError):
    """No TrueType font with Cyrillic was found: install Debian's fonts-dejavu-core."""


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path


_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),  # Debian, Ubuntu
    ("/usr/share/fonts/dejavu-sans-fonts", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),  # Fedora
    ("/usr/share/fonts/TTF", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),  # Arch
    ("/usr/share/fonts/truetype/liberation", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("C:/Windows/Fonts", "arial.ttf", "arialbd.ttf"),
)


def cyrillic_font() -> FontFiles:
    """The regular and bold files of the first font with Cyrillic that is installed."""
    for directory, regular, bold in _candidates():
        files = FontFiles(Path(directory) / regular, Path(directory) / bold)
        if files.regular.is_file() and files.bold.is_file():
            return files
    raise FontMissing(
        "No TrueType font with Cyrillic found for the PDF. On Debian or Ubuntu: apt-get install fonts-dejavu-core"
    )


def _candidates() -> list[tuple[str, str, str]]:
    candidates = list(_CANDIDATES)
    # matplotlib ships DejaVu Sans; found without importing it, which would be slow.
    spec = find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        fonts = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
        candidates.append((str(fonts), "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    return candidates
