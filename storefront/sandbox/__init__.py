"""Payment sandbox: stand-in card and wallet providers for the demo and the tests, never for real money.

It owns the sandbox gateways (card.py, wallets.py), their ledgers (what a real provider keeps on its side) and
the provider's payment page. It is installed, and its URLs mounted, only when PAYMENT_SANDBOX is on; checkout
reaches it only through the gateway registry in settings (PAYMENT_CARD_GATEWAYS / PAYMENT_REDIRECT_GATEWAYS).
"""
