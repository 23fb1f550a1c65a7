"""Address widgets: a <select> whose option names are in one given language, and a text box with a <datalist>
of places (a combobox that still accepts any spelling)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class NamesInLanguageSelect(forms.Select):
    """A <select> whose option names are in one given language (`lang` on each option), such as a country's
    own names for its states, so screen readers pronounce them right and they are not taken for shop text."""

    def __init__(self, *args, names_language: str = "", **kwargs) -> None:
        self.names_language = names_language
        super().__init__(*args, **kwargs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and self.names_language:
            option["attrs"]["lang"] = self.names_language
        return option


class DatalistInput(forms.TextInput):
    """A text box with a <datalist> of the places the rules list (a combobox: choose, or type any spelling
    the form understands). Option values are the local names the address is stored under; the label shows the
    Latin name to readers of other languages."""

    def __init__(
        self, *args, options: Sequence[tuple[str, str]] = (), names_language: str = "", **kwargs
    ) -> None:
        self.options = list(options)
        self.names_language = names_language
        super().__init__(*args, **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id') or name}-options"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html(
            "{}{}", box, self.datalist(f"{(attrs or {}).get('id') or self.attrs.get('id') or name}")
        )

    def datalist(self, box_id: str, oob: bool = False) -> SafeString:
        """The <datalist> of the box whose id is `box_id` (possibly empty: a list still to be filled); `oob`
        marks it for an htmx out-of-band swap, which replaces the list and leaves the box (its typed text, the
        focus) alone."""
        lang = format_html(' lang="{}"', self.names_language) if self.names_language else ""
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>', ((v, lang, label) for v, label in self.options)
        )
        swap = mark_safe(' data-hx-swap-oob="true"') if oob else ""
        return format_html('<datalist id="{}-options"{}>{}</datalist>', box_id, swap, options)
