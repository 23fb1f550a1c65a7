"""Accounts: users and their preferences, saved addresses, saved payment-method tokens."""
