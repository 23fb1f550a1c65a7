"""Checkout: orders, atomic stock reservation, idempotent placement, payments behind one gateway interface."""
