"""Catalogue: categories, brands, products, their images and reviews, search and compare."""
