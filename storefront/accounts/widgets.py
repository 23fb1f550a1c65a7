"""Address widgets: a <select> whose option names are in one given language, and a text box with a <datalist>
of places (a combobox that still accepts any spelling)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.html import format_html, format_html_join


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
        list_id = f"{(attrs or {}).get('id') or self.attrs.get('id') or name}-options"
        lang = format_html(' lang="{}"', self.names_language) if self.names_language else ""
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>', ((v, lang, label) for v, label in self.options)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)
