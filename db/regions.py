"""Bulgaria's 28 regions (области): reference data, no SQL.

A school's region is stored as its ISO 3166-2 code (`BG-10`); `resolve_region` reads what a user
typed — Cyrillic or Latin, any case, with or without „област“, the code itself — and `REGIONS`
names it in either language. The map's shapes are in `assets/maps/bg_regions.geojson`, keyed by
the same codes; `point` is where a map puts a region's circle: the point of the region farthest from
its border (computed from those shapes by `assets/maps/build_bg_regions.py`), not its administrative
centre, because the centre of Sofia region (Sofia) lies in Sofia City, and two circles would overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.text import to_latin


@dataclass(frozen=True)
class Region:
    code: str  # ISO 3166-2:BG
    name_bg: str
    name_en: str
    nuts3: str  # Eurostat's NUTS 3 code, the key of the statistics published per region
    point: tuple[float, float]  # (longitude, latitude)

    def name(self, lang: str) -> str:
        """The region's name in `lang`: Bulgarian for "bg", English for any other language."""
        return self.name_bg if lang == "bg" else self.name_en


# fmt: off
REGIONS: tuple[Region, ...] = (
    Region("BG-01", "Благоевград", "Blagoevgrad", "BG413", (23.4306, 41.7029)),
    Region("BG-02", "Бургас", "Burgas", "BG341", (27.1718, 42.673)),
    Region("BG-03", "Варна", "Varna", "BG331", (27.6103, 43.145)),
    Region("BG-04", "Велико Търново", "Veliko Tarnovo", "BG321", (25.7899, 43.1606)),
    Region("BG-05", "Видин", "Vidin", "BG311", (22.7173, 43.7021)),
    Region("BG-06", "Враца", "Vratsa", "BG313", (23.6929, 43.3239)),
    Region("BG-07", "Габрово", "Gabrovo", "BG322", (25.1608, 42.9445)),
    Region("BG-08", "Добрич", "Dobrich", "BG332", (27.9435, 43.6187)),
    Region("BG-09", "Кърджали", "Kardzhali", "BG425", (25.4305, 41.483)),
    Region("BG-10", "Кюстендил", "Kyustendil", "BG415", (22.7521, 42.2233)),
    Region("BG-11", "Ловеч", "Lovech", "BG315", (24.4403, 43.0027)),
    Region("BG-12", "Монтана", "Montana", "BG312", (23.0839, 43.3975)),
    Region("BG-13", "Пазарджик", "Pazardzhik", "BG423", (24.133, 42.072)),
    Region("BG-14", "Перник", "Pernik", "BG414", (22.9166, 42.5692)),
    Region("BG-15", "Плевен", "Pleven", "BG314", (24.5443, 43.4941)),
    Region("BG-16", "Пловдив", "Plovdiv", "BG421", (24.799, 42.3629)),
    Region("BG-17", "Разград", "Razgrad", "BG324", (26.668, 43.6772)),
    Region("BG-18", "Русе", "Ruse", "BG323", (25.8263, 43.5498)),
    Region("BG-19", "Силистра", "Silistra", "BG325", (27.0883, 43.9387)),
    Region("BG-20", "Сливен", "Sliven", "BG342", (26.3273, 42.7548)),
    Region("BG-21", "Смолян", "Smolyan", "BG424", (24.5615, 41.7176)),
    Region("BG-22", "София-град", "Sofia City", "BG411", (23.3359, 42.6727)),
    Region("BG-23", "Софийска област", "Sofia Province", "BG412", (23.8892, 42.7437)),
    Region("BG-24", "Стара Загора", "Stara Zagora", "BG344", (25.5338, 42.4704)),
    Region("BG-25", "Търговище", "Targovishte", "BG334", (26.354, 43.2069)),
    Region("BG-26", "Хасково", "Haskovo", "BG422", (25.8692, 41.8592)),
    Region("BG-27", "Шумен", "Shumen", "BG333", (27.0329, 43.4115)),
    Region("BG-28", "Ямбол", "Yambol", "BG343", (26.5939, 42.3544)),
)
# fmt: on
REGION_CODES = tuple(region.code for region in REGIONS)
BY_CODE = {region.code: region for region in REGIONS}

# Other spellings in use: older transliterations, French ones on road signs, the common names of the two
# Sofias. Matched whole, after the words „област“, „oblast“, "province", "region" are dropped — except
# where those words are what tells the two Sofias apart, matched before anything is dropped.
_WHOLE = {
    "BG-22": ("oblast sofiya grad", "sofiya grad oblast", "sofia city province", "sofia city region"),
    "BG-23": (
        "oblast sofiya", "sofiya oblast", "sofia oblast", "sofia province", "sofia region", "sofiyska oblast",
        "sofiiska oblast", "sofijska oblast", "oblast sofia",
    ),
}  # fmt: skip
_OTHER_SPELLINGS = {
    "BG-02": ("bourgas",),
    "BG-04": ("veliko turnovo", "tarnovo", "turnovo"),
    "BG-06": ("vratza",),
    "BG-09": ("kardjali", "kurdzhali", "kurdjali", "kirdzhali"),
    "BG-10": ("kiustendil", "kjustendil", "kustendil"),
    "BG-13": ("pazardjik",),
    "BG-18": ("rousse", "russe"),
    "BG-21": ("smolian", "smoljan"),
    "BG-22": (
        "sofiya", "sofia", "sofia grad", "sofiya stolitsa", "sofia stolitsa", "stolitsa", "stolichna", "sofia capital",
    ),
    "BG-23": ("sofiyska", "sofiiska", "sofijska"),
    "BG-25": ("turgovishte", "targoviste"),
    "BG-26": ("khaskovo",),
    "BG-28": ("jambol",),
}  # fmt: skip
_DROPPED_WORDS = {"oblast", "obl", "province", "region", "district", "na"}
_CODE = re.compile(r"bg\s*-?\s*(\d{1,2})")
_NUTS = re.compile(r"bg\s*(\d{3})")


def _key(text: str) -> str:
    """Latin letters and single spaces: `„Велико Търново“` and `Veliko-Tarnovo` to `veliko tarnovo`."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", to_latin(text)).split())


def _without_dropped_words(key: str) -> str:
    return " ".join(word for word in key.split() if word not in _DROPPED_WORDS)


def _known() -> tuple[dict[str, str], dict[str, str]]:
    whole = {_key(spelling): code for code, spellings in _WHOLE.items() for spelling in spellings}
    names: dict[str, str] = {}
    for region in REGIONS:
        for spelling in (region.name_bg, region.name_en, *_OTHER_SPELLINGS.get(region.code, ())):
            # One spelling, one region: a spelling of two would name whichever came last.
            assert names.setdefault(_key(spelling), region.code) == region.code, spelling
    return whole, names


_WHOLE_KEYS, _NAME_KEYS = _known()
_BY_NUTS = {region.nuts3.casefold(): region.code for region in REGIONS}


def resolve_region(text: str) -> str | None:
    """The ISO 3166-2 code of the region `text` names, or None if it names none.

    „кюстендил“, "Kyustendil", "BG-10", "bg10", "BG415" (NUTS 3) and "област Кюстендил" are all `BG-10`.
    „София“ alone is the capital (София-град, BG-22); „Софийска област“ and „област София“ are BG-23.
    """
    key = _key(text)
    if not key:
        return None
    code = _CODE.fullmatch(key)
    if code and 1 <= int(code.group(1)) <= len(REGIONS):
        return f"BG-{int(code.group(1)):02d}"
    nuts = _NUTS.fullmatch(key)
    if nuts:
        return _BY_NUTS.get(f"bg{nuts.group(1)}")
    return _WHOLE_KEYS.get(key) or _NAME_KEYS.get(key) or _NAME_KEYS.get(_without_dropped_words(key))


def region_name(code: str, lang: str) -> str:
    """The name of the region `code` in `lang`; an unknown code as it is."""
    region = BY_CODE.get(code)
    return region.name(lang) if region else code
