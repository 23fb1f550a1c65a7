"""The accessible storefront: settings, root URLs and the domain apps."""
