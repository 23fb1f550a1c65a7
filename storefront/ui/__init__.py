"""Shared presentation components: form fields with hints and errors (GOV.UK pattern), ratings, pictures."""
